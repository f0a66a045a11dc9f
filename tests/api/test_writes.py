"""Monitors write hearings, decisions, custody periods, sources and citations through the API,
with the admin's validation, conflict detection and history. Nobody else writes."""

import datetime

import pytest

from cases.models import Citation, Source
from core.visibility import Visibility
from defendants.models import CustodyPeriod
from hearings.models import Decision, Hearing
from partners.models import ApiToken
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    SourceFactory,
    UserFactory,
)

from .helpers import client_with_token, staff_api

pytestmark = pytest.mark.django_db

D = datetime.date


def snapshot(model):
    """Everything stored for ``model``: rows and history rows, to show nothing changed."""
    return list(model.objects.values()), model.history.count()


@pytest.fixture
def link():
    """A public case with one public person in it."""
    return CaseDefendantFactory()


@pytest.fixture
def payloads(link):
    """A valid new record for each writable endpoint, by endpoint."""
    charge = ChargeFactory(case=link.case, defendant=link.defendant, date_filed=D(2024, 1, 10))
    cited = [{"source": SourceFactory().pk, "paragraph": "34"}]
    return {
        "hearings": {
            "case": link.case_id,
            "date": "2024-03-05",
            "kind": "trial",
            "citations": cited,
        },
        "decisions": {
            "case": link.case_id,
            "defendant": link.defendant_id,
            "court_level": "first_instance",
            "kind": "conviction",
            "date": "2024-05-01",
            "charges": [charge.pk],
            "prison_months": 24,
            "citations": cited,
        },
        "custody-periods": {
            "case": link.case_id,
            "defendant": link.defendant_id,
            "kind": "pretrial_detention",
            "start": "2024-01-10",
            "end": "2024-05-01",
            "citations": cited,
        },
        "sources": {"title": "Trial monitoring report", "date": "2024-08"},
        "citations": {
            "source": SourceFactory().pk,
            "paragraph": "34",
            "subject_type": "cases",
            "subject_id": link.case_id,
        },
    }


MODELS = {
    "hearings": Hearing,
    "decisions": Decision,
    "custody-periods": CustodyPeriod,
    "sources": Source,
    "citations": Citation,
}


# Creating --------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_a_monitor_creates_a_record(monitor_api, payloads, endpoint):
    before = MODELS[endpoint].objects.count()

    response = monitor_api.post(f"/api/v1/{endpoint}/", payloads[endpoint], format="json")

    assert response.status_code == 201, response.content
    assert MODELS[endpoint].objects.count() == before + 1
    assert response.json()["version"] == 1


def test_a_created_decision_rules_on_the_charges_given(monitor_api, payloads):
    response = monitor_api.post("/api/v1/decisions/", payloads["decisions"], format="json")

    decision = Decision.objects.get(pk=response.json()["id"])
    assert list(decision.charges.values_list("pk", flat=True)) == payloads["decisions"]["charges"]


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_anonymous_callers_cannot_write(anonymous_api, payloads, endpoint):
    before = snapshot(MODELS[endpoint])

    response = anonymous_api.post(f"/api/v1/{endpoint}/", payloads[endpoint], format="json")

    assert response.status_code == 401
    assert snapshot(MODELS[endpoint]) == before


@pytest.mark.parametrize("endpoint", list(MODELS))
def test_partners_cannot_write(partner_api, payloads, endpoint):
    before = snapshot(MODELS[endpoint])

    response = partner_api.post(f"/api/v1/{endpoint}/", payloads[endpoint], format="json")

    assert response.status_code == 403
    assert snapshot(MODELS[endpoint]) == before


def test_a_partner_users_token_cannot_write(partner, payloads):
    _, secret = ApiToken.issue(name="ngo staff", user=partner)

    response = client_with_token(secret).post(
        "/api/v1/hearings/", payloads["hearings"], format="json"
    )

    assert response.status_code == 403


def test_partners_cannot_update(partner_api):
    hearing = HearingFactory()

    response = partner_api.patch(
        f"/api/v1/hearings/{hearing.pk}/", {"outcome": "x", "version": 1}, format="json"
    )

    assert response.status_code == 403
    hearing.refresh_from_db()
    assert hearing.outcome == ""


@pytest.mark.parametrize("endpoint", ["cases", "charges", "defendants"])
def test_cases_charges_and_people_are_not_written_through_the_api(monitor_api, endpoint):
    response = monitor_api.post(f"/api/v1/{endpoint}/", {"title": "x"}, format="json")

    assert response.status_code in (403, 405)


@pytest.mark.parametrize(
    ("endpoint", "make"),
    [
        ("hearings", HearingFactory),
        ("decisions", DecisionFactory),
        ("custody-periods", CustodyPeriodFactory),
        ("sources", SourceFactory),
    ],
)
def test_monitors_cannot_delete(monitor_api, endpoint, make):
    record = make()

    response = monitor_api.delete(f"/api/v1/{endpoint}/{record.pk}/")

    assert response.status_code in (403, 405)
    assert type(record).objects.filter(pk=record.pk).exists()


def test_not_even_editors_delete_through_the_api(editor_api):
    hearing = HearingFactory()

    response = editor_api.delete(f"/api/v1/hearings/{hearing.pk}/")

    assert response.status_code == 405
    assert Hearing.objects.filter(pk=hearing.pk).exists()


# Visibility is not the monitor's to set --------------------------------------------------------


def test_a_monitors_new_record_is_monitors_only_whatever_they_send(monitor_api, payloads):
    payload = {**payloads["hearings"], "visibility": Visibility.PUBLIC}

    response = monitor_api.post("/api/v1/hearings/", payload, format="json")

    assert response.status_code == 201
    assert Hearing.objects.get().visibility == Visibility.MONITORS


def test_a_monitor_cannot_publish_a_record_by_updating_it(monitor_api):
    hearing = HearingFactory(visibility=Visibility.MONITORS)

    monitor_api.patch(
        f"/api/v1/hearings/{hearing.pk}/",
        {"visibility": Visibility.PUBLIC, "version": 1},
        format="json",
    )

    hearing.refresh_from_db()
    assert hearing.visibility == Visibility.MONITORS


def test_an_editor_sets_visibility(editor_api, payloads):
    payload = {**payloads["hearings"], "visibility": Visibility.PUBLIC}

    editor_api.post("/api/v1/hearings/", payload, format="json")

    assert Hearing.objects.get().visibility == Visibility.PUBLIC


# The admin's validation; nothing stored on a 400 --------------------------------------------------


def assert_refused_on(response, field, model, before):
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert snapshot(model) == before


def test_custody_ending_before_it_starts_is_refused(monitor_api, payloads):
    payload = {**payloads["custody-periods"], "start": "2024-03-01", "end": "2024-02-01"}
    before = snapshot(CustodyPeriod)

    response = monitor_api.post("/api/v1/custody-periods/", payload, format="json")

    assert_refused_on(response, "end", CustodyPeriod, before)
    assert "ends" in response.json()["end"][0]


def test_custody_ending_in_the_month_it_started_is_accepted(monitor_api, payloads):
    """A month-precision start may be any day of March: ending on 10 March is possible."""
    payload = {**payloads["custody-periods"], "start": "2024-03", "end": "2024-03-10"}

    response = monitor_api.post("/api/v1/custody-periods/", payload, format="json")

    assert response.status_code == 201, response.content


def test_custody_of_someone_not_in_the_case_is_refused(monitor_api, payloads):
    payload = {**payloads["custody-periods"], "case": CaseFactory().pk}
    before = snapshot(CustodyPeriod)

    response = monitor_api.post("/api/v1/custody-periods/", payload, format="json")

    assert_refused_on(response, "defendant", CustodyPeriod, before)


def test_updating_custody_to_end_before_it_starts_is_refused(monitor_api):
    period = CustodyPeriodFactory(start=D(2024, 3, 1))
    before = snapshot(CustodyPeriod)

    response = monitor_api.patch(
        f"/api/v1/custody-periods/{period.pk}/", {"end": "2024-02-01", "version": 1}, format="json"
    )

    assert_refused_on(response, "end", CustodyPeriod, before)


def test_a_decision_dated_before_its_charge_was_filed_is_refused(monitor_api, payloads):
    payload = {**payloads["decisions"], "date": "2024-01-01"}  # the charge: 10 January 2024
    before = snapshot(Decision)

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert_refused_on(response, "date", Decision, before)


def test_redating_a_decision_before_its_charge_was_filed_is_refused(monitor_api, payloads):
    created = monitor_api.post("/api/v1/decisions/", payloads["decisions"], format="json").json()
    before = snapshot(Decision)

    response = monitor_api.patch(
        f"/api/v1/decisions/{created['id']}/", {"date": "2023-12", "version": 1}, format="json"
    )

    assert_refused_on(response, "date", Decision, before)


def test_an_appeal_decision_at_a_first_instance_court_is_refused(monitor_api, payloads):
    payload = {**payloads["decisions"], "kind": "upheld", "court_level": "first_instance"}
    before = snapshot(Decision)

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert_refused_on(response, "kind", Decision, before)


def test_an_appeal_decision_at_the_court_of_appeal_is_accepted(monitor_api, payloads):
    payload = {**payloads["decisions"], "kind": "upheld", "court_level": "appeal"}

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert response.status_code == 201, response.content


@pytest.mark.parametrize("field", ["prison_months", "suspended_months"])
def test_negative_months_are_refused(monitor_api, payloads, field):
    payload = {**payloads["decisions"], field: -6}
    before = snapshot(Decision)

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert_refused_on(response, field, Decision, before)


def test_more_months_suspended_than_the_term_is_refused(monitor_api, payloads):
    payload = {**payloads["decisions"], "prison_months": 12, "suspended_months": 18}
    before = snapshot(Decision)

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert_refused_on(response, "suspended_months", Decision, before)


def test_a_decision_on_another_persons_charge_is_refused(monitor_api, payloads):
    payload = {**payloads["decisions"], "charges": [ChargeFactory().pk]}
    before = snapshot(Decision)

    response = monitor_api.post("/api/v1/decisions/", payload, format="json")

    assert_refused_on(response, "charges", Decision, before)


def test_a_citation_of_a_missing_record_is_refused(monitor_api, payloads):
    payload = {**payloads["citations"], "subject_id": 999_999}
    before = snapshot(Citation)

    response = monitor_api.post("/api/v1/citations/", payload, format="json")

    assert_refused_on(response, "subject_id", Citation, before)


def test_a_hearing_in_a_missing_case_is_refused(monitor_api, payloads):
    payload = {**payloads["hearings"], "case": 999_999}
    before = snapshot(Hearing)

    response = monitor_api.post("/api/v1/hearings/", payload, format="json")

    assert_refused_on(response, "case", Hearing, before)


# Updates name the version they edit -------------------------------------------------------------


@pytest.fixture
def hearing():
    return HearingFactory(outcome="")


def patch(client, hearing, data, **headers):
    return client.patch(f"/api/v1/hearings/{hearing.pk}/", data, format="json", **headers)


def test_an_update_with_the_current_version_is_saved(monitor_api, hearing):
    response = patch(monitor_api, hearing, {"outcome": "adjourned", "version": 1})

    assert response.status_code == 200, response.content
    hearing.refresh_from_db()
    assert (hearing.outcome, hearing.version) == ("adjourned", 2)
    assert response.json()["version"] == 2


def test_a_full_update_with_put_is_saved(monitor_api, hearing):
    body = monitor_api.get(f"/api/v1/hearings/{hearing.pk}/").json()

    response = monitor_api.put(
        f"/api/v1/hearings/{hearing.pk}/", {**body, "outcome": "verdict read"}, format="json"
    )

    assert response.status_code == 200, response.content
    hearing.refresh_from_db()
    assert hearing.outcome == "verdict read"


def test_an_update_without_a_version_is_refused(monitor_api, hearing):
    response = patch(monitor_api, hearing, {"outcome": "adjourned"})

    assert response.status_code == 400
    assert "version" in response.json()
    hearing.refresh_from_db()
    assert hearing.outcome == ""


@pytest.fixture
def edited_by_someone_else(hearing):
    """Another monitor saved version 2 of the hearing through their own token."""
    colleague = UserFactory(username="sophea", role="Monitor")
    response = patch(staff_api(colleague), hearing, {"outcome": "postponed", "version": 1})
    assert response.status_code == 200
    return hearing


def test_a_stale_version_is_a_409_naming_the_other_change(monitor_api, edited_by_someone_else):
    response = patch(monitor_api, edited_by_someone_else, {"outcome": "held", "version": 1})

    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    [change] = body["changes"]
    assert (change["user"], change["field"], change["new"]) == ("sophea", "outcome", "postponed")


def test_a_stale_version_changes_nothing(monitor_api, edited_by_someone_else):
    before = snapshot(Hearing)

    patch(monitor_api, edited_by_someone_else, {"outcome": "held", "version": 1})

    assert snapshot(Hearing) == before


def test_if_match_with_the_current_version_is_saved(monitor_api, hearing):
    response = patch(monitor_api, hearing, {"outcome": "adjourned"}, HTTP_IF_MATCH='"1"')

    assert response.status_code == 200, response.content
    hearing.refresh_from_db()
    assert hearing.outcome == "adjourned"


def test_a_stale_if_match_is_a_412_and_changes_nothing(monitor_api, edited_by_someone_else):
    before = snapshot(Hearing)

    response = patch(monitor_api, edited_by_someone_else, {"outcome": "held"}, HTTP_IF_MATCH='"1"')

    assert response.status_code == 412
    assert snapshot(Hearing) == before


# History -----------------------------------------------------------------------------------------


def test_a_created_record_has_history_by_the_monitor(monitor_api, monitor, payloads):
    response = monitor_api.post("/api/v1/hearings/", payloads["hearings"], format="json")

    [record] = Hearing.history.filter(id=response.json()["id"])
    assert (record.history_type, record.history_user) == ("+", monitor)


def test_an_update_has_history_by_the_monitor(monitor_api, monitor, hearing):
    patch(monitor_api, hearing, {"outcome": "adjourned", "version": 1})

    latest = Hearing.history.filter(id=hearing.pk).latest()
    assert (latest.history_type, latest.history_user, latest.outcome) == (
        "~",
        monitor,
        "adjourned",
    )


def test_moving_a_decision_to_another_hearing_answers_with_the_new_hearing(monitor_api):
    first = HearingFactory()
    second = HearingFactory(case=first.case)
    link = CaseDefendantFactory(case=first.case)
    decision = DecisionFactory(case=first.case, defendant=link.defendant, hearing=first)

    response = monitor_api.patch(
        f"/api/v1/decisions/{decision.pk}/", {"hearing": second.pk, "version": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["hearing"] == second.pk


def test_if_match_star_does_not_skip_the_version_check(monitor_api, edited_by_someone_else):
    before = snapshot(Hearing)

    response = patch(monitor_api, edited_by_someone_else, {"outcome": "held"}, HTTP_IF_MATCH="*")

    assert response.status_code == 428
    assert "version" in response.json()["detail"]
    assert snapshot(Hearing) == before
