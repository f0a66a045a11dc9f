"""Admin change forms that help a monitor finish the job (#18, item 5): a failed save opens
with a summary of every error, linked to its field, that takes the focus; a saved decision
asks whether the case's status still holds."""

import datetime
import re

import pytest

from cases.models import CaseStatus
from hearings.models import Decision, DecisionKind
from tests.factories import LOG_OBSERVATION, ChargeFactory, DecisionFactory

from .helpers import admin_form_data, inline_prefix

pytestmark = pytest.mark.django_db

DECISION_ADD = "/admin/hearings/decision/add/"
PROMPT = "Update the case&#x27;s status"


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


def post_decision(client, charge, **values):
    data = {**admin_form_data(client.get(DECISION_ADD)), **LOG_OBSERVATION}
    return client.post(DECISION_ADD, {**data, **decision_values(charge, **values)}, follow=True)


def summary(response):
    page = response.content.decode()
    match = re.search(r'<div class="error-summary" id="error-summary"(.*?)</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


@pytest.fixture
def charge(db):
    return ChargeFactory(date_filed=datetime.date(2024, 4, 10))


def test_a_failed_save_opens_with_a_summary_that_links_each_field(client, monitor, charge):
    client.force_login(monitor)

    response = post_decision(client, charge, prison_months="-3", fine_riel="lots")

    html = summary(response)
    assert '<a href="#id_prison_months">Prison term (months)</a>' in html
    assert '<a href="#id_fine_riel">' in html
    assert "Ensure this value is greater than or equal to 0." in html
    assert "2 things to correct" in html


def test_the_summary_takes_the_focus(client, monitor, charge):
    client.force_login(monitor)

    response = post_decision(client, charge, prison_months="-3")

    assert 'tabindex="-1"' in summary(response)
    assert "js/error-summary.js" in response.content.decode()


def test_a_form_without_errors_has_no_summary(client, monitor):
    client.force_login(monitor)

    page = client.get(DECISION_ADD).content.decode()

    assert "error-summary" not in page


def test_the_summary_links_to_a_field_of_an_inline_row(client, editor):
    decision = DecisionFactory()
    case = decision.case
    url = f"/admin/cases/case/{case.pk}/change/"
    client.force_login(editor)
    page = client.get(url)
    prefix = inline_prefix(page, Decision)
    data = {**admin_form_data(page), **LOG_OBSERVATION, f"{prefix}-0-prison_months": "-1"}

    response = client.post(url, data)

    assert response.status_code == 200
    html = summary(response)
    assert f'href="#id_{prefix}-0-prison_months"' in html
    assert "Decision 1: Prison term (months)" in html


def test_a_saved_decision_prompts_to_update_the_case_status(client, monitor, charge):
    client.force_login(monitor)

    response = post_decision(client, charge)

    page = response.content.decode()
    assert Decision.objects.count() == 1
    assert PROMPT in page
    assert f'href="/admin/cases/case/{charge.case_id}/change/#id_status"' in page


def test_the_prompt_names_the_case_s_current_status(client, monitor, charge):
    charge.case.status = CaseStatus.PRETRIAL
    charge.case.save()
    client.force_login(monitor)

    response = post_decision(client, charge)

    assert "its status still reads “awaiting trial”" in response.content.decode()


def test_a_refused_decision_does_not_prompt(client, monitor, charge):
    client.force_login(monitor)

    response = post_decision(client, charge, prison_months="-3")

    assert PROMPT not in response.content.decode()


def test_a_decision_changed_on_the_case_page_prompts_to_update_the_status(client, editor):
    decision = DecisionFactory()
    url = f"/admin/cases/case/{decision.case_id}/change/"
    client.force_login(editor)
    page = client.get(url)
    prefix = inline_prefix(page, Decision)
    data = {**admin_form_data(page), **LOG_OBSERVATION, f"{prefix}-0-prison_months": "12"}

    response = client.post(url, data, follow=True)

    assert response.redirect_chain
    assert PROMPT in response.content.decode()
