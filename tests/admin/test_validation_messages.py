"""A monitor who types something impossible in an admin form is told what is wrong, in words,
next to the field, and nothing is saved."""

import datetime

import pytest

from cases.models import CourtLevel
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import Decision, DecisionKind
from tests.factories import LOG_OBSERVATION, CaseDefendantFactory, ChargeFactory

from .helpers import admin_form_data

pytestmark = pytest.mark.django_db

CUSTODY_ADD = "/admin/defendants/custodyperiod/add/"
DECISION_ADD = "/admin/hearings/decision/add/"


def post_add_form(client, url, **values):
    data = {**admin_form_data(client.get(url)), **LOG_OBSERVATION, **values}
    return client.post(url, data)


def field_errors(response, field):
    return response.context["adminform"].form.errors.get(field)


def decision_values(charge, **values):
    return {
        "case": charge.case_id,
        "defendant": charge.defendant_id,
        "court": charge.case.court_id,
        "court_level": charge.case.court.level,
        "kind": DecisionKind.CONVICTION,
        "date": "2024-05-01",
        "charges": [charge.pk],
        **values,
    }


def test_a_custody_period_ending_before_it_starts_is_refused(client, monitor):
    link = CaseDefendantFactory()
    client.force_login(monitor)

    response = post_add_form(
        client,
        CUSTODY_ADD,
        case=link.case_id,
        defendant=link.defendant_id,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start="2024-03-10",
        end="2024-03-01",
    )

    message = "This custody period ends (1 March 2024) before it starts (10 March 2024)."
    assert field_errors(response, "end") == [message]
    assert message in response.content.decode()
    assert not CustodyPeriod.objects.exists()


def test_a_decision_dated_before_its_charge_was_filed_is_refused(client, monitor):
    charge = ChargeFactory(label="incitement", date_filed=datetime.date(2024, 5, 10))
    client.force_login(monitor)

    response = post_add_form(client, DECISION_ADD, **decision_values(charge, date="2024-05-01"))

    assert field_errors(response, "date") == [
        "This decision (1 May 2024) is dated before the charge “incitement” was filed "
        "(10 May 2024)."
    ]
    assert not Decision.objects.exists()


def test_a_decision_on_a_charge_filed_earlier_is_accepted(client, monitor):
    charge = ChargeFactory(date_filed=datetime.date(2024, 4, 10))
    client.force_login(monitor)

    response = post_add_form(client, DECISION_ADD, **decision_values(charge, date="2024-05-01"))

    assert response.status_code == 302
    assert Decision.objects.count() == 1


def test_negative_months_are_refused(client, monitor):
    charge = ChargeFactory()
    client.force_login(monitor)

    response = post_add_form(client, DECISION_ADD, **decision_values(charge, prison_months="-3"))

    assert field_errors(response, "prison_months") == [
        "Ensure this value is greater than or equal to 0."
    ]
    assert not Decision.objects.exists()


def test_an_appeal_decision_at_a_first_instance_court_is_refused(client, monitor):
    charge = ChargeFactory()
    assert charge.case.court.level == CourtLevel.FIRST_INSTANCE
    client.force_login(monitor)

    response = post_add_form(
        client, DECISION_ADD, **decision_values(charge, kind=DecisionKind.UPHELD)
    )

    assert field_errors(response, "kind") == [
        "“conviction upheld” is an appeal decision: a court of first instance cannot take it. "
        "Record it at the Court of Appeal or the Supreme Court."
    ]
    assert not Decision.objects.exists()


def test_a_changed_decision_is_checked_against_its_charges_too(client, monitor):
    charge = ChargeFactory(date_filed=datetime.date(2024, 4, 10))
    client.force_login(monitor)
    post_add_form(client, DECISION_ADD, **decision_values(charge, date="2024-05-01"))
    decision = Decision.objects.get()
    url = f"/admin/hearings/decision/{decision.pk}/change/"

    response = client.post(url, {**admin_form_data(client.get(url)), "date": "2024-03-01"})

    assert "is dated before the charge" in field_errors(response, "date")[0]
    decision.refresh_from_db()
    assert decision.date == datetime.date(2024, 5, 1)
