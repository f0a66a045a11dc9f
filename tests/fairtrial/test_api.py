"""The API of fair-trial monitoring (#16, items 2-4): checklists for everyone, answers and
assessments at the caller's level, writes validated like every record's."""

import pytest

from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistItem
from tests.api.helpers import ids
from tests.factories import (
    AnswerFactory,
    AssessmentFactory,
    CaseDefendantFactory,
    ChecklistItemFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

SECRET = "ZQ the lawyer's strategy"
ROWS = pytest.mark.parametrize("rows", [2, 8])


def item():
    return ChecklistItem.objects.filter(checklist__number=1).first()


# --- Reading at the caller's level ----------------------------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_monitors_only_answer_never_reaches_anonymous_or_partner_callers(api_as, caller):
    hidden = AnswerFactory(note=SECRET, visibility=Visibility.MONITORS)
    shown = AnswerFactory(visibility=Visibility.PUBLIC)

    response = api_as(caller).get("/api/v1/fair-trial-answers/")

    assert ids(response) == [shown.pk]
    assert SECRET not in response.content.decode()
    assert api_as(caller).get(f"/api/v1/fair-trial-answers/{hidden.pk}/").status_code == 404


def test_a_partner_reads_a_partners_finding_without_its_monitors_only_note(partner_api):
    answer = AnswerFactory(
        note=SECRET, visibility=Visibility.PARTNERS, note_visibility=Visibility.MONITORS
    )

    data = partner_api.get(f"/api/v1/fair-trial-answers/{answer.pk}/").json()

    assert data["finding"] == answer.finding
    assert data["note"] == ""
    assert "note_visibility" not in data


def test_a_monitor_reads_the_note(monitor_api):
    answer = AnswerFactory(note=SECRET, note_visibility=Visibility.MONITORS)

    data = monitor_api.get(f"/api/v1/fair-trial-answers/{answer.pk}/").json()

    assert data["note"] == SECRET


def test_answers_filter_on_a_right_and_a_finding(anonymous_api):
    lawyer = item()
    violated = AnswerFactory(item=lawyer, finding="violated")
    AnswerFactory(item=lawyer, finding="respected")
    AnswerFactory(finding="violated")

    response = anonymous_api.get(
        "/api/v1/fair-trial-answers/", {"right": lawyer.code, "finding": "violated"}
    )

    assert ids(response) == [violated.pk]


def test_an_unknown_finding_filter_is_a_400(anonymous_api):
    response = anonymous_api.get("/api/v1/fair-trial-answers/", {"finding": "fine"})

    assert response.status_code == 400


def test_an_unpublished_assessment_is_hidden_from_the_public(anonymous_api):
    AssessmentFactory(summary=SECRET, visibility=Visibility.MONITORS)
    published = AssessmentFactory()

    response = anonymous_api.get("/api/v1/fairness-assessments/")

    assert ids(response) == [published.pk]


def test_the_checklist_lists_its_items_with_their_standards(anonymous_api):
    response = anonymous_api.get("/api/v1/checklists/")

    version_1 = next(v for v in response.json()["results"] if v["number"] == 1)
    assert version_1["items"][0]["standard"]
    assert version_1["items"][0]["english_only"] is True


# --- Writing ---------------------------------------------------------------------------------


def a_hearing_with_a_defendant():
    hearing = HearingFactory()
    person = DefendantFactory()
    CaseDefendantFactory(case=hearing.case, defendant=person)
    return hearing, person


def test_a_monitor_records_an_answer_monitors_only(monitor_api):
    hearing, person = a_hearing_with_a_defendant()

    response = monitor_api.post(
        "/api/v1/fair-trial-answers/",
        {"hearing": hearing.pk, "defendant": person.pk, "item": item().pk, "finding": "violated"},
        format="json",
    )

    assert response.status_code == 201, response.content
    answer = Answer.objects.get(pk=response.json()["id"])
    assert (answer.case_id, answer.visibility, answer.note_visibility) == (
        hearing.case_id,
        Visibility.MONITORS,
        Visibility.MONITORS,
    )


def test_a_monitor_cannot_publish_a_note(monitor_api):
    hearing, person = a_hearing_with_a_defendant()

    response = monitor_api.post(
        "/api/v1/fair-trial-answers/",
        {
            "hearing": hearing.pk,
            "defendant": person.pk,
            "item": item().pk,
            "finding": "violated",
            "note_visibility": Visibility.PUBLIC,
        },
        format="json",
    )

    assert response.status_code == 201
    assert Answer.objects.get().note_visibility == Visibility.MONITORS


@pytest.mark.parametrize(
    "change",
    [
        {"finding": "maybe"},
        {"item": 987654},
        {"defendant": "not a number"},
        {"note": "x" * 20_001},
    ],
)
def test_bad_input_for_an_answer_is_a_400(monitor_api, change):
    hearing, person = a_hearing_with_a_defendant()
    body = {"hearing": hearing.pk, "defendant": person.pk, "item": item().pk, "finding": "partly"}

    response = monitor_api.post("/api/v1/fair-trial-answers/", {**body, **change}, format="json")

    assert response.status_code == 400
    assert not Answer.objects.exists()


def test_an_answer_about_someone_not_in_the_case_is_a_400(monitor_api):
    hearing = HearingFactory()
    stranger = DefendantFactory()

    response = monitor_api.post(
        "/api/v1/fair-trial-answers/",
        {"hearing": hearing.pk, "defendant": stranger.pk, "item": item().pk, "finding": "partly"},
        format="json",
    )

    assert response.status_code == 400
    assert "defendant" in response.json()


def test_the_same_item_twice_for_a_defendant_at_a_hearing_is_a_400(monitor_api):
    answer = AnswerFactory()

    response = monitor_api.post(
        "/api/v1/fair-trial-answers/",
        {
            "hearing": answer.hearing_id,
            "defendant": answer.defendant_id,
            "item": answer.item_id,
            "finding": "partly",
        },
        format="json",
    )

    assert response.status_code == 400


def test_a_monitor_cannot_write_an_assessment(monitor_api):
    case = HearingFactory().case

    response = monitor_api.post(
        "/api/v1/fairness-assessments/",
        {"case": case.pk, "grade": "B", "summary": "Fair enough.", "assessed_on": "2024-06-01"},
        format="json",
    )

    assert response.status_code == 403


def test_an_editor_writes_an_assessment(editor_api):
    case = HearingFactory().case

    response = editor_api.post(
        "/api/v1/fairness-assessments/",
        {"case": case.pk, "grade": "B", "summary": "Fair enough.", "assessed_on": "2024-06-01"},
        format="json",
    )

    assert response.status_code == 201, response.content


def test_an_unknown_grade_is_a_400(editor_api):
    case = HearingFactory().case

    response = editor_api.post(
        "/api/v1/fairness-assessments/",
        {"case": case.pk, "grade": "E", "summary": "?", "assessed_on": "2024-06-01"},
        format="json",
    )

    assert response.status_code == 400


# --- Query counts -------------------------------------------------------------------------------


def listed(client, endpoint):
    return len(ids(client.get(f"/api/v1/{endpoint}/", {"page_size": 200})))


@ROWS
def test_the_answer_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for _ in range(rows):
        AnswerFactory(note="seen")
    # 1. the page of answers (the gate's checks are conditions of the same statement)
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "fair-trial-answers") == rows


@ROWS
def test_the_assessment_list_reads_two_queries(anonymous_api, django_assert_num_queries, rows):
    for _ in range(rows):
        AssessmentFactory().weighed_items.add(item())
    # 1. the page of assessments
    # 2. the items that weighed most in them
    with django_assert_num_queries(2):
        assert listed(anonymous_api, "fairness-assessments") == rows


@ROWS
def test_the_checklist_list_reads_two_queries(anonymous_api, django_assert_num_queries, rows):
    for _ in range(rows - 1):  # version 1 comes from the migration
        ChecklistItemFactory()
    # 1. the page of checklist versions
    # 2. their items
    with django_assert_num_queries(2):
        assert listed(anonymous_api, "checklists") == rows


@ROWS
def test_the_checklist_item_list_reads_one_query(anonymous_api, django_assert_num_queries, rows):
    for _ in range(rows):
        ChecklistItemFactory()
    every = ChecklistItem.objects.count()  # version 1's items come from the migration
    # 1. the page of items
    with django_assert_num_queries(1):
        assert listed(anonymous_api, "checklist-items") == every


def test_a_second_assessment_of_a_case_is_a_400(editor_api):
    case = AssessmentFactory().case

    response = editor_api.post(
        "/api/v1/fairness-assessments/",
        {"case": case.pk, "grade": "B", "summary": "Again.", "assessed_on": "2024-06-01"},
        format="json",
    )

    assert response.status_code == 400
    assert "case" in response.json()
