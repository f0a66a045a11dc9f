"""Recording the checklist on a hearing's admin page, and keeping a used version's items
read-only there (#16, items 1-2)."""

import re

import pytest

from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistItem, Finding
from tests.admin.helpers import admin_form_data, form_errors, inline_prefix
from tests.factories import (
    LOG_OBSERVATION,
    AnswerFactory,
    CaseDefendantFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db


def hearing_page(client, hearing):
    return f"/admin/hearings/hearing/{hearing.pk}/change/"


def with_one_answer(client, hearing, **row):
    """What the hearing's page posts back with one new checklist row."""
    response = client.get(hearing_page(client, hearing))
    assert response.status_code == 200
    prefix = inline_prefix(response, Answer)
    data = {**admin_form_data(response), **LOG_OBSERVATION, "confirm_unusual_date": "on"}
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data.update({f"{prefix}-0-{name}": value for name, value in row.items()})
    return data


def test_a_monitor_records_a_finding_on_the_hearings_page(client, monitor):
    hearing = HearingFactory()
    person = DefendantFactory()
    CaseDefendantFactory(case=hearing.case, defendant=person)
    item = ChecklistItem.objects.first()
    client.force_login(monitor)
    data = with_one_answer(
        client, hearing, item=item.pk, defendant=person.pk, finding="violated", note="ZQ"
    )

    response = client.post(hearing_page(client, hearing), data)

    assert response.status_code == 302, form_errors(response)
    answer = Answer.objects.get()
    assert (answer.hearing_id, answer.finding, answer.note_visibility) == (
        hearing.pk,
        "violated",
        Visibility.MONITORS,
    )


def test_an_unknown_finding_on_the_hearings_page_is_a_form_error(client, monitor):
    hearing = HearingFactory()
    person = DefendantFactory()
    CaseDefendantFactory(case=hearing.case, defendant=person)
    client.force_login(monitor)
    data = with_one_answer(
        client,
        hearing,
        item=ChecklistItem.objects.first().pk,
        defendant=person.pk,
        finding="fine",
    )

    response = client.post(hearing_page(client, hearing), data)

    assert response.status_code == 200
    assert form_errors(response)
    assert not Answer.objects.exists()


def test_the_findings_are_quick_radio_answers(client, monitor):
    client.force_login(monitor)

    response = client.get(hearing_page(client, HearingFactory()))

    name = f"{inline_prefix(response, Answer)}-__prefix__-finding"
    radios = re.findall(rf'<input type="radio" name="{name}"', response.content.decode())
    assert len(radios) == len(Finding.choices)


def test_an_item_of_a_version_in_use_cannot_be_changed_in_the_admin(client, editor):
    item = AnswerFactory().item
    client.force_login(editor)

    response = client.post(
        f"/admin/fairtrial/checklistitem/{item.pk}/change/", {"text_en": "Reworded."}
    )

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.text_en != "Reworded."


@pytest.mark.parametrize("rows", [3, 10])
def test_the_answer_list_runs_ten_queries(client, monitor, django_assert_num_queries, rows):
    for _ in range(rows):
        AnswerFactory()
    client.force_login(monitor)

    # 1. the session  2. the user  3. the user's authenticators (two-factor check)
    # 4. the user's own permissions  5. the permissions of the user's groups
    # 6-8. savepoint, session expiry pushed forward (idle timeout), release
    # 9. COUNT(*) of the filtered answers, for the paginator
    # 10. one page of answers, joined to hearing, defendant and item (list_select_related)
    with django_assert_num_queries(10):
        response = client.get("/admin/fairtrial/answer/")

    assert len(response.context["cl"].result_list) == rows


def test_a_monitor_changes_a_finding_on_the_hearings_page(client, monitor):
    answer = AnswerFactory(finding="respected", visibility=Visibility.MONITORS)
    client.force_login(monitor)
    url = hearing_page(client, answer.hearing)
    response = client.get(url)
    prefix = inline_prefix(response, Answer)
    data = {**admin_form_data(response), **LOG_OBSERVATION, "confirm_unusual_date": "on"}
    data[f"{prefix}-0-finding"] = "violated"

    response = client.post(url, data)

    assert response.status_code == 302, form_errors(response)
    answer.refresh_from_db()
    assert (answer.finding, answer.version) == ("violated", 2)
