"""Who sees what through the API: tokens, scopes, 404s that reveal nothing, monitor-only
fields, hashed secrets and throttles."""

import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from core.visibility import Visibility
from partners.api.auth import CallerRateThrottle, ExportRateThrottle
from partners.models import ApiToken, Partner
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
    UserFactory,
)

from .helpers import client_with_token, ids, legacy_staff_token, staff_api

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_per_level():
    return {level: CaseFactory(visibility=level).pk for level in Visibility}


# Scope -----------------------------------------------------------------------------------------


def test_anonymous_callers_see_public_cases_only(anonymous_api, case_per_level):
    assert ids(anonymous_api.get("/api/v1/cases/")) == [case_per_level[Visibility.PUBLIC]]


def test_a_partner_token_reads_partner_level_cases(partner_api, case_per_level):
    assert ids(partner_api.get("/api/v1/cases/")) == [
        case_per_level[Visibility.PUBLIC],
        case_per_level[Visibility.PARTNERS],
    ]


def test_a_monitors_token_reads_every_case(monitor_api, case_per_level):
    assert ids(monitor_api.get("/api/v1/cases/")) == list(case_per_level.values())


def test_a_partner_users_token_reads_partner_level_cases(partner, case_per_level):
    _, secret = ApiToken.issue(name="staff of an NGO", user=partner)

    listed = ids(client_with_token(secret).get("/api/v1/cases/"))

    assert listed == [case_per_level[Visibility.PUBLIC], case_per_level[Visibility.PARTNERS]]


def test_a_logged_in_partner_user_reads_partner_level_cases(anonymous_api, partner, case_per_level):
    anonymous_api.force_login(partner)

    assert case_per_level[Visibility.PARTNERS] in ids(anonymous_api.get("/api/v1/cases/"))


def test_the_bearer_keyword_works_too(partner_token, case_per_level):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {partner_token[1]}")

    assert case_per_level[Visibility.PARTNERS] in ids(client.get("/api/v1/cases/"))


# Tokens that do not work ------------------------------------------------------------------------


def assert_refused(client):
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid, expired or revoked token."}


def test_an_expired_token_is_a_401(partner_org):
    _, secret = ApiToken.issue(
        name="old", partner=partner_org, expires_at=timezone.now() - datetime.timedelta(days=1)
    )

    assert_refused(client_with_token(secret))


def test_a_revoked_token_is_a_401(partner_token):
    token, secret = partner_token
    token.revoke()

    assert_refused(client_with_token(secret))


def test_a_made_up_token_is_a_401(partner_token):
    token, _ = partner_token

    assert_refused(client_with_token(f"{token.prefix}.not-the-secret"))


def test_a_token_of_a_deactivated_partner_is_a_401(partner_token, partner_org):
    partner_org.is_active = False
    partner_org.save()

    assert_refused(client_with_token(partner_token[1]))


def test_a_token_of_a_deactivated_user_is_a_401(monitor):
    _, secret = legacy_staff_token(monitor, name="left the team")
    monitor.is_active = False
    monitor.save()

    assert_refused(client_with_token(secret))


def test_a_401_names_the_token_scheme(partner_token):
    token, secret = partner_token
    token.revoke()

    response = client_with_token(secret).get("/api/v1/cases/")

    assert response["WWW-Authenticate"] == "Token"


def test_the_secret_is_stored_only_as_a_hash(partner_token):
    token, secret = partner_token
    body = secret.partition(".")[2]

    row = ApiToken.objects.filter(pk=token.pk).values().get()
    history_rows = list(ApiToken.history.filter(id=token.pk).values())

    assert row["secret_hash"] == hashlib.sha256(body.encode()).hexdigest()
    stored = [str(value) for record in [row, *history_rows] for value in record.values()]
    assert not any(body in value for value in stored)


def test_two_tokens_never_share_a_secret(partner_org):
    _, first = ApiToken.issue(name="a", partner=partner_org)
    _, second = ApiToken.issue(name="b", partner=partner_org)

    assert first != second


# A hidden record answers exactly like a missing one ----------------------------------------------

DETAIL_ENDPOINTS = [
    ("cases", lambda level: CaseFactory(visibility=level)),
    ("defendants", lambda level: DefendantFactory(visibility=level)),
    ("charges", lambda level: ChargeFactory(case__visibility=level)),
    ("hearings", lambda level: HearingFactory(visibility=level)),
    ("decisions", lambda level: DecisionFactory(defendant__visibility=level)),
    ("custody-periods", lambda level: CustodyPeriodFactory(visibility=level)),
    ("citations", lambda level: CitationFactory(source__visibility=level)),
    ("sources", lambda level: SourceFactory(visibility=level)),
]


@pytest.mark.parametrize(("endpoint", "make"), DETAIL_ENDPOINTS)
@pytest.mark.parametrize(
    ("caller", "level"),
    [
        ("anonymous", Visibility.PARTNERS),
        ("anonymous", Visibility.MONITORS),
        ("partner", Visibility.MONITORS),
    ],
)
def test_a_hidden_record_is_a_404_identical_to_a_missing_one(api_as, caller, level, endpoint, make):
    client = api_as(caller)
    hidden = make(level).pk
    missing = hidden + 1000

    hidden_answer = client.get(f"/api/v1/{endpoint}/{hidden}/")
    missing_answer = client.get(f"/api/v1/{endpoint}/{missing}/")

    assert hidden_answer.status_code == missing_answer.status_code == 404
    assert hidden_answer.content == missing_answer.content
    assert hidden_answer.get("ETag") == missing_answer.get("ETag")


@pytest.mark.parametrize(("endpoint", "make"), DETAIL_ENDPOINTS)
def test_a_partner_reads_a_partner_level_record(partner_api, endpoint, make):
    record = make(Visibility.PARTNERS)

    assert partner_api.get(f"/api/v1/{endpoint}/{record.pk}/").status_code == 200


# Monitor-only fields -----------------------------------------------------------------------------

MONITOR_ONLY = {"visibility", "needs_review", "review_note", "version"}


@pytest.fixture
def flagged_hearing():
    return HearingFactory(
        needs_review=True,
        review_note="CHECK-AGAINST-JUDGMENT",
        monitor_notes="JUDGE-SEEMED-PRESSURED",
        case__review_note="CASE-REVIEW-NOTE",
    )


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_monitor_only_fields_are_absent_for_other_callers(api_as, caller, flagged_hearing):
    client = api_as(caller)

    detail = client.get(f"/api/v1/hearings/{flagged_hearing.pk}/").json()
    [listed] = client.get("/api/v1/hearings/").json()["results"]

    assert not (MONITOR_ONLY | {"monitor_notes"}) & (detail.keys() | listed.keys())


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/hearings/",
        "/api/v1/hearings/{hearing}/",
        "/api/v1/cases/",
        "/api/v1/cases/{case}/",
        "/api/v1/export/hearings.json",
        "/api/v1/export/cases.json",
        "/api/v1/export/hearings.csv",
        "/api/v1/export/cases.csv",
    ],
)
def test_monitor_notes_never_leave_the_monitors(api_as, caller, flagged_hearing, url):
    response = api_as(caller).get(
        url.format(hearing=flagged_hearing.pk, case=flagged_hearing.case_id)
    )
    body = b"".join(response.streaming_content) if response.streaming else response.content

    assert response.status_code == 200
    assert b"JUDGE-SEEMED-PRESSURED" not in body
    assert b"CHECK-AGAINST-JUDGMENT" not in body
    assert b"CASE-REVIEW-NOTE" not in body


def test_monitors_receive_the_monitor_only_fields(monitor_api, flagged_hearing):
    detail = monitor_api.get(f"/api/v1/hearings/{flagged_hearing.pk}/").json()

    assert (MONITOR_ONLY | {"monitor_notes"}) <= detail.keys()
    assert detail["monitor_notes"] == "JUDGE-SEEMED-PRESSURED"
    assert (detail["visibility"], detail["version"]) == (Visibility.PUBLIC, 1)


@pytest.mark.parametrize(
    "endpoint",
    ["cases", "defendants", "charges", "decisions", "custody-periods", "citations", "sources"],
)
def test_every_tracked_record_hides_its_monitor_fields_from_partners(
    partner_api, monitor_api, endpoint
):
    make = dict(DETAIL_ENDPOINTS)[endpoint]
    record = make(Visibility.PUBLIC)

    for_partner = partner_api.get(f"/api/v1/{endpoint}/{record.pk}/").json()
    for_monitor = monitor_api.get(f"/api/v1/{endpoint}/{record.pk}/").json()

    assert not MONITOR_ONLY & for_partner.keys()
    # Sources and citations carry no review flag; every record has a level and a version.
    assert {"visibility", "version"} <= for_monitor.keys()


def test_nested_facts_hide_monitor_fields_too(anonymous_api, flagged_hearing):
    body = anonymous_api.get(f"/api/v1/cases/{flagged_hearing.case_id}/").json()

    [hearing] = body["hearings"]
    assert not (MONITOR_ONLY | {"monitor_notes"}) & hearing.keys()


# Throttling ------------------------------------------------------------------------------------


@pytest.fixture
def low_rates(monkeypatch):
    """The rates are read into the throttle class at import; patch them there."""
    monkeypatch.setattr(
        CallerRateThrottle,
        "THROTTLE_RATES",
        {"anon": "2/minute", "partner": "3/minute", "staff": "3/minute"},
    )


def statuses(client, count):
    return [client.get("/api/v1/laws/").status_code for _ in range(count)]


def test_an_anonymous_caller_over_the_rate_gets_a_429_with_retry_after(low_rates, anonymous_api):
    assert statuses(anonymous_api, 2) == [200, 200]

    response = anonymous_api.get("/api/v1/laws/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_a_partner_has_its_own_rate(low_rates, partner_api, anonymous_api):
    statuses(anonymous_api, 2)

    assert statuses(partner_api, 4) == [200, 200, 200, 429]


def test_tokens_of_one_partner_share_its_budget(low_rates, partner_api, partner_org):
    _, second_secret = ApiToken.issue(name="second job", partner=partner_org)
    statuses(partner_api, 3)

    assert statuses(client_with_token(second_secret), 1) == [429]


def test_another_partner_has_a_separate_budget(low_rates, partner_api):
    statuses(partner_api, 3)
    _, secret = ApiToken.issue(name="x", partner=Partner.objects.create(name="Other NGO"))

    assert statuses(client_with_token(secret), 1) == [200]


def test_each_staff_user_has_their_own_budget(low_rates, monitor_api):
    statuses(monitor_api, 3)
    colleague = staff_api(UserFactory(role="Monitor"))

    assert statuses(monitor_api, 1) == [429]
    assert statuses(colleague, 1) == [200]


def test_a_made_up_forwarded_for_address_does_not_reset_the_budget(low_rates, anonymous_api):
    """The caller prepends an address of their choice; our proxy appends the real one."""
    statuses(anonymous_api, 2)

    response = anonymous_api.get("/api/v1/laws/", HTTP_X_FORWARDED_FOR="203.0.113.7, 127.0.0.1")

    assert response.status_code == 429


# Exports cost far more than a page of a list: a tighter budget of their own ------------------


@pytest.fixture
def low_export_rates(monkeypatch):
    monkeypatch.setattr(
        ExportRateThrottle,
        "THROTTLE_RATES",
        {
            **CallerRateThrottle.THROTTLE_RATES,
            "export_anon": "2/hour",
            "export_partner": "3/hour",
            "export_staff": "3/hour",
        },
    )


def test_an_anonymous_caller_gets_fewer_exports_than_list_pages(low_export_rates, anonymous_api):
    exports = [anonymous_api.get("/api/v1/export/cases.csv").status_code for _ in range(3)]

    assert exports == [200, 200, 429]
    assert anonymous_api.get("/api/v1/laws/").status_code == 200


def test_export_jobs_share_the_export_budget(low_export_rates, partner_api):
    asked = [
        partner_api.post(
            "/api/v1/export-jobs/", {"export_type": "cases", "export_format": "csv"}, format="json"
        )
        for _ in range(3)
    ]
    streamed = partner_api.get("/api/v1/export/cases.json")

    assert [r.status_code for r in asked] == [202, 202, 202]
    assert streamed.status_code == 429
    assert partner_api.get("/api/v1/export-jobs/").status_code == 200  # polling is not an export


def test_the_default_export_rate_is_tighter_than_the_list_rate(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    parse = CallerRateThrottle().parse_rate

    for kind in ("anon", "partner", "staff"):
        exports, seconds = parse(rates[f"export_{kind}"])
        pages, page_seconds = parse(rates[kind])
        assert exports / seconds < pages / page_seconds / 5


def test_behind_the_proxy_a_rotating_forwarded_for_does_not_escape_the_budget(
    low_rates, anonymous_api, settings
):
    """The caller writes any left-most address; the proxy appends the one it saw."""
    settings.NUM_PROXIES = 1
    codes = [
        anonymous_api.get(
            "/api/v1/laws/",
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.7",
        ).status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]


def test_behind_the_proxy_two_clients_have_separate_budgets(low_rates, anonymous_api, settings):
    settings.NUM_PROXIES = 1

    def get(client_address):
        return anonymous_api.get(
            "/api/v1/laws/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=client_address
        ).status_code

    assert [get("198.51.100.7") for _ in range(3)] == [200, 200, 429]
    assert get("203.0.113.9") == 200


def test_without_a_proxy_the_forwarded_for_header_is_ignored(low_rates, anonymous_api, settings):
    settings.NUM_PROXIES = 0
    codes = [
        anonymous_api.get("/api/v1/laws/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
        for n in range(3)
    ]

    assert codes == [200, 200, 429]
