"""API fuzzing: schemathesis generates requests from /api/v1/schema/ for every operation and
runs every check it has: no server error, every status code, header, content type and body as
documented, bad input refused, good input accepted, undeclared methods answered 405."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import positive_data_acceptance

from core.visibility import Visibility
from tests.factories import ChargeFactory, CustodyPeriodFactory, DecisionFactory, HearingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def keep_the_test_connection():
    """Call the WSGI app the way Django's test client does: without closing the database
    connection at the end of each request (on PostgreSQL that would end the test's
    transaction)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(db, keep_the_test_connection):
    from cambodia_tracker.wsgi import application

    # A little data at two levels, so that lists and details have something to show and hide.
    for level in (Visibility.PUBLIC, Visibility.MONITORS):
        charge = ChargeFactory(visibility=level, case__visibility=level)
        HearingFactory(case=charge.case, visibility=level)
        DecisionFactory(case=charge.case, defendant=charge.defendant, visibility=level)
        CustodyPeriodFactory(case=charge.case, defendant=charge.defendant, visibility=level)
    return schemathesis.openapi.from_wsgi("/api/v1/schema/", application)


# Every check the installed schemathesis has (``schemathesis.checks.CHECKS``). Three say nothing
# about a run like this one, for every operation alike: ``use_after_free`` and
# ``ensure_resource_availability`` follow a DELETE or a POST with later requests in the stateful
# phase (the API deletes nothing, and a write needs a monitor's session, which these anonymous
# requests do not have), and ``object_level_authorization`` compares two callers' answers.
load_all_checks()
ALL_CHECKS = [CHECKS.get_one(name) for name in CHECKS.get_all_names()]

# A cursor is opaque: only one the server handed out is valid, so a made-up string the schema
# allows rightly answers 400. On these operations, a request carrying a cursor is not expected
# to be accepted (``positive_data_acceptance``); every other check still runs on it.
OPAQUE_CURSOR = {
    "GET /api/v1/affiliations/",
    "GET /api/v1/articles/",
    "GET /api/v1/case-defendants/",
    "GET /api/v1/cases/",
    "GET /api/v1/changes/",
    "GET /api/v1/charges/",
    "GET /api/v1/checklist-items/",
    "GET /api/v1/checklists/",
    "GET /api/v1/citations/",
    "GET /api/v1/courts/",
    "GET /api/v1/custody-periods/",
    "GET /api/v1/decisions/",
    "GET /api/v1/defendants/",
    "GET /api/v1/documents/",
    "GET /api/v1/fair-trial-answers/",
    "GET /api/v1/fairness-assessments/",
    "GET /api/v1/hearings/",
    "GET /api/v1/laws/",
    "GET /api/v1/organisations/",
    "GET /api/v1/search/",
    "GET /api/v1/sources/",
}
CHECKS_WITH_A_CURSOR = [check for check in ALL_CHECKS if check is not positive_data_acceptance]

SETTINGS = settings(
    # Each operation's explicit examples and coverage cases (every boundary, missing and wrong
    # value, undeclared method), then a few generated requests, positive and negative.
    max_examples=5,
    deadline=None,
    database=None,
    # The same examples on every run: CI fails for a fault in the code, never because a run
    # drew new input. (Run with derandomize off locally to explore further.)
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_the_operations_with_a_cursor_are_listed(api_schema):
    with_a_cursor = {
        operation.label
        for operation in operations(api_schema)
        if any(p.name == "cursor" for p in operation.iter_parameters())
    }

    assert with_a_cursor == OPAQUE_CURSOR


def test_every_operation_passes_every_check(api_schema):
    failures = {}

    def check(case):
        checks = ALL_CHECKS
        if case.operation.label in OPAQUE_CURSOR and "cursor" in (case.query or {}):
            checks = CHECKS_WITH_A_CURSOR
        try:
            # The WSGI transport asks for gzip but never decompresses what it asked for (real
            # clients do; tests/api/test_compression.py covers gzip): ask for plain answers.
            case.call_and_validate(checks=checks, headers={"Accept-Encoding": "identity"})
        except (AssertionError, BaseExceptionGroup) as failure:
            failures.setdefault(case.operation.label, str(failure))

    tried = 0
    for result in get_all_tests(
        schema=api_schema, test_func=check, settings=SETTINGS, given_kwargs={}
    ):
        operation, test = result.ok()
        test()
        tried += 1
    assert tried >= 50  # every operation of the API was fuzzed
    assert not failures, "\n\n".join(f"{label}: {failure}" for label, failure in failures.items())


# The three inputs that answered 500 (issue #20, finding 8), sent through the same checks.
NINES = "9" * 30


def crafted_cursor():
    import base64
    from urllib.parse import urlencode

    return base64.b64encode(urlencode({"p": NINES}).encode()).decode()


@pytest.mark.parametrize(
    "query", [{"province": NINES}, {"cursor": crafted_cursor()}], ids=["province", "cursor"]
)
def test_the_inputs_that_crashed_the_lists_answer_within_the_schema(api_schema, query):
    case = api_schema["/api/v1/cases/"]["GET"].Case(query=query)

    response = case.call_and_validate(checks=ALL_CHECKS, headers={"Accept-Encoding": "identity"})

    assert response.status_code in (200, 400)


def test_json_nested_5000_deep_answers_400(api_schema, monitor):
    from django.test import Client

    browser = Client()
    browser.force_login(monitor)
    csrf = "a" * 32  # any well-formed token the cookie and the header agree on
    case = api_schema["/api/v1/hearings/"]["POST"].Case(media_type="application/json")

    response = case.call(
        data="[" * 5000 + "]" * 5000,
        headers={
            "Content-Type": "application/json",
            "Accept-Encoding": "identity",
            "X-CSRFToken": csrf,
        },
        cookies={"sessionid": browser.cookies["sessionid"].value, "csrftoken": csrf},
    )

    assert response.status_code == 400  # refused by the parser: a 403 would prove nothing
    assert "deep" in response.json()["detail"]
