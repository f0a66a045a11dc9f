"""API fuzzing: schemathesis generates requests from /api/v1/schema/ for every operation and
checks that none answers with a server error and every answer conforms to the schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

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


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def operations(schema):
    for result in schema.get_all_operations():
        yield result.ok()


def test_no_server_error_and_answers_match_the_schema(api_schema):
    tried = 0
    for operation in operations(api_schema):

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):
            # What the API promises: no server error, every status code documented, every
            # answer of the documented type and shape. (Whether made-up but "schema-valid"
            # input such as a random cursor is accepted is not checked: it rightly is not.)
            # Schemathesis always asks for gzip, and its WSGI transport hands the compressed
            # bytes to the JSON checks undecoded: ask for plain answers (gzip has its own tests).
            case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

        check()
        tried += 1
    assert tried >= 20  # every operation of the API was fuzzed
