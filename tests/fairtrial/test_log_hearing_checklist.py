""" "Log a hearing" records the fair-trial checklist (#16, item 2): an answer per defendant and
item of the current checklist, through the same rules as every other write path, all or
nothing with the hearing."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from core.dates import DatePrecision
from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistItem, ChecklistVersion, Finding
from hearings.models import Hearing, HearingKind, HearingStatus
from tests.factories import (
    LOG_OBSERVATION,
    CaseDefendantFactory,
    CaseFactory,
    ChecklistItemFactory,
    ChecklistVersionFactory,
)

pytestmark = pytest.mark.django_db

HEARING_DAY = timezone.localdate() - datetime.timedelta(days=3)
NOTE = "The judge refused the lawyer time to read the new evidence."


@pytest.fixture
def case(db):
    """A case with two defendants, answered under the checklist the migration loads."""
    case = CaseFactory(visibility=Visibility.PUBLIC)
    CaseDefendantFactory(case=case)
    CaseDefendantFactory(case=case)
    return case


def defendants_of(case):
    return [link.defendant for link in case.parties.order_by("pk")]


def url_of(case):
    return f"/admin/cases/case/{case.pk}/log-hearing/"


def hearing_data(case, **values):
    return {
        "date": HEARING_DAY.isoformat(),
        "date_precision": DatePrecision.DAY,
        "court": case.court_id,
        "kind": HearingKind.TRIAL,
        "status": HearingStatus.HELD,
        "monitored": "on",
        **LOG_OBSERVATION,
        **values,
    }


def answer(defendant, item, finding=Finding.RESPECTED, **values):
    prefix = f"a{defendant.pk}-{item.pk}-"
    return {prefix + key: value for key, value in {"finding": finding, **values}.items()}


def items():
    return list(ChecklistVersion.current().items.order_by("position"))


def test_the_page_offers_every_item_of_the_current_checklist_for_each_defendant(
    client, monitor, case
):
    client.force_login(monitor)

    page = client.get(url_of(case)).content.decode()

    for defendant in defendants_of(case):
        for item in items():
            name = f"a{defendant.pk}-{item.pk}-finding"
            assert page.count(f'name="{name}"') == len(Finding.choices)


def test_the_checklist_is_grouped_in_collapsed_stages_that_count_the_answers(client, monitor, case):
    client.force_login(monitor)

    response = client.get(url_of(case))

    stages = response.context["checklist"].stages
    assert [stage.value for stage in stages] == ["before_trial", "hearing", "judgment", "appeal"]
    page = response.content.decode()
    assert page.count('<details class="checklist-stage">') == len(stages)
    before_trial = sum(item.stage == "before_trial" for item in items())
    assert f"0 of {before_trial * 2} answered" in page


def test_answers_are_saved_per_defendant_and_item(client, monitor, case):
    first, second = defendants_of(case)
    lawyer, judgment = items()[2], items()[-2]
    client.force_login(monitor)

    response = client.post(
        url_of(case),
        {
            **hearing_data(case),
            **answer(first, lawyer, Finding.VIOLATED, note=NOTE),
            **answer(second, lawyer, Finding.RESPECTED),
            **answer(second, judgment, Finding.NOT_OBSERVED),
        },
    )

    assert response.status_code == 302
    hearing = Hearing.objects.get(case=case)
    saved = {
        (a.defendant_id, a.item_id): (a.finding, a.note)
        for a in Answer.objects.filter(hearing=hearing)
    }
    assert saved == {
        (first.pk, lawyer.pk): (Finding.VIOLATED, NOTE),
        (second.pk, lawyer.pk): (Finding.RESPECTED, ""),
        (second.pk, judgment.pk): (Finding.NOT_OBSERVED, ""),
    }


def test_unanswered_items_save_no_answer(client, monitor, case):
    client.force_login(monitor)

    response = client.post(url_of(case), hearing_data(case))

    assert response.status_code == 302
    assert Hearing.objects.filter(case=case).exists()
    assert not Answer.objects.exists()


def test_an_unknown_finding_is_a_form_error_and_saves_nothing(client, monitor, case):
    first, _second = defendants_of(case)
    client.force_login(monitor)

    response = client.post(
        url_of(case), {**hearing_data(case), **answer(first, items()[0], "excellent")}
    )

    assert response.status_code == 200
    form = response.context["checklist"].forms[0]
    assert "finding" in form.errors
    assert not Hearing.objects.exists()
    assert not Answer.objects.exists()


def test_a_note_without_a_finding_is_a_form_error_and_saves_nothing(client, monitor, case):
    first, _second = defendants_of(case)
    client.force_login(monitor)

    response = client.post(
        url_of(case), {**hearing_data(case), **answer(first, items()[0], "", note=NOTE)}
    )

    assert response.status_code == 200
    assert response.context["checklist"].forms[0].non_field_errors() == [
        "Choose a finding for this note, or clear the note."
    ]
    assert not Hearing.objects.exists()


def test_an_answer_the_model_refuses_is_shown_on_it_and_saves_nothing(client, editor, case):
    # The note cannot be more visible than the finding (Answer.clean), which has the
    # hearing's level: the same rule as on the admin page and in the API.
    first, _second = defendants_of(case)
    item = items()[0]
    client.force_login(editor)

    response = client.post(
        url_of(case),
        {
            **hearing_data(case, visibility=Visibility.MONITORS),
            **answer(first, item, note=NOTE, note_visibility=Visibility.PUBLIC),
        },
    )

    assert response.status_code == 200
    refused = response.context["checklist"].forms[0]
    assert (refused.defendant, refused.item) == (first, item)
    assert refused.non_field_errors() == ["The note cannot be more visible than the finding."]
    assert not Hearing.objects.exists()
    assert not Answer.objects.exists()


def test_answers_have_the_hearings_visibility(client, editor, case):
    first, _second = defendants_of(case)
    client.force_login(editor)

    client.post(
        url_of(case),
        {**hearing_data(case, visibility=Visibility.PARTNERS), **answer(first, items()[0])},
    )

    assert Answer.objects.get().visibility == Visibility.PARTNERS


def test_an_editor_chooses_who_may_read_a_note(client, editor, case):
    first, _second = defendants_of(case)
    client.force_login(editor)

    client.post(
        url_of(case),
        {
            **hearing_data(case, visibility=Visibility.PUBLIC),
            **answer(first, items()[0], note=NOTE, note_visibility=Visibility.PARTNERS),
        },
    )

    assert Answer.objects.get().note_visibility == Visibility.PARTNERS


def test_a_monitor_is_not_offered_the_notes_visibility(client, monitor, case):
    client.force_login(monitor)

    page = client.get(url_of(case)).content.decode()

    assert "note_visibility" not in page


def test_a_monitor_cannot_publish_a_note_by_posting_its_visibility(client, monitor, case):
    first, _second = defendants_of(case)
    client.force_login(monitor)

    client.post(
        url_of(case),
        {**hearing_data(case), **answer(first, items()[0], note=NOTE, note_visibility="0")},
    )

    assert Answer.objects.get().note_visibility == Visibility.MONITORS


def test_a_new_checklist_version_leaves_old_answers_intact(client, monitor, case):
    first, _second = defendants_of(case)
    old_item = items()[0]
    client.force_login(monitor)
    client.post(url_of(case), {**hearing_data(case), **answer(first, old_item, note=NOTE)})
    before = Answer.objects.get()

    new_item = ChecklistItemFactory(
        checklist=ChecklistVersionFactory(), code=old_item.code, text_en="Reworded."
    )
    client.post(
        url_of(case),
        {
            **hearing_data(case, date=(HEARING_DAY + datetime.timedelta(days=1)).isoformat()),
            **answer(first, new_item, Finding.VIOLATED),
        },
    )

    old = Answer.objects.get(pk=before.pk)
    assert (old.item_id, old.finding, old.note, old.version) == (
        old_item.pk,
        Finding.RESPECTED,
        NOTE,
        before.version,
    )
    assert ChecklistItem.objects.get(pk=old_item.pk).text_en == old_item.text_en
    assert Answer.objects.exclude(pk=old.pk).get().item == new_item


def test_the_page_offers_only_the_newest_version(client, monitor, case):
    newest = ChecklistItemFactory(checklist=ChecklistVersionFactory())
    client.force_login(monitor)

    response = client.get(url_of(case))

    assert {form.item for form in response.context["checklist"].forms} == {newest}


def test_the_saved_page_tells_the_browser_to_delete_the_draft(client, monitor, case):
    first, _second = defendants_of(case)
    client.force_login(monitor)

    response = client.post(
        url_of(case), {**hearing_data(case), **answer(first, items()[0])}, follow=True
    )

    page = response.content.decode()
    assert f"log-draft-saved log-hearing-draft-{monitor.pk}-{case.pk}" in page
    assert "js/log-draft.js" in page


def test_a_failed_save_keeps_the_draft(client, monitor, case):
    first, _second = defendants_of(case)
    client.force_login(monitor)

    response = client.post(
        url_of(case), {**hearing_data(case), **answer(first, items()[0], "excellent")}
    )

    page = response.content.decode()
    assert "data-draft-bound" in page
    assert "log-draft-saved" not in page


def test_the_page_runs_a_fixed_number_of_queries(client, monitor, case, django_assert_num_queries):
    client.force_login(monitor)
    client.get(url_of(case))  # warm the caches the admin keeps per process

    # session, user, authenticator, case, user's and group permissions (2), the case's
    # defendants, the checklist version, its items (one query for all, whatever their
    # number), the courts, the sources of the citation form, whether each defendant has
    # charges (2), and the session's save (3).
    with django_assert_num_queries(16):
        client.get(url_of(case))


def test_saving_the_checklist_runs_a_fixed_number_of_queries(
    client, monitor, case, django_assert_num_queries
):
    first, second = defendants_of(case)
    answers = {**answer(first, items()[0]), **answer(second, items()[1])}
    client.force_login(monitor)

    # Logging the hearing and its citation, as without a checklist: 57. Each answer: its
    # hearing, defendant and item exist (3), its case from the hearing (2: clean and save),
    # the person is in the case, no answer already, then the insert, its history and its
    # change-feed entry inside a savepoint (6): 13.
    # The content types the history and the change feed look up, cached per process: warm
    # them, so the count does not depend on which tests ran before.
    ContentType.objects.get_for_models(*apps.get_models())
    # PostgreSQL runs 20 more (measured): among them the change feed's read of the
    # transaction id for each of its entries, which SQLite has no need of.
    expected = 57 + 2 * 13 if connection.vendor != "postgresql" else 103
    with django_assert_num_queries(expected):
        client.post(url_of(case), {**hearing_data(case), **answers})
