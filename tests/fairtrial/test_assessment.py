"""The fairness assessment of a case (#16, item 3): an Editor's grade on the documented scale,
dated, versioned through the history, and published through the publication flow."""

import datetime
from pathlib import Path

import pytest

from core import publication
from core.visibility import Visibility
from fairtrial.models import Assessment, ChecklistItem, Grade
from tests.factories import AssessmentFactory, CaseFactory

pytestmark = pytest.mark.django_db


def test_a_new_assessment_is_monitors_only_until_published():
    assessment = Assessment.objects.create(
        case=CaseFactory(), grade=Grade.D, summary="...", assessed_on=datetime.date(2024, 6, 1)
    )

    assert not assessment.is_visible_to(Visibility.PUBLIC)


def test_a_published_assessment_of_a_confidential_case_stays_hidden():
    assessment = AssessmentFactory(case=CaseFactory(visibility=Visibility.MONITORS))

    assert not assessment.is_visible_to(Visibility.PUBLIC)


def test_a_monitors_level_change_to_a_published_grade_waits_for_an_editor(monitor):
    assessment = AssessmentFactory(grade=Grade.C)
    assessment.grade = Grade.A

    held = publication.hold_edit(assessment, user=monitor)

    assert held is not None and held.changes == {"grade": "A"}
    assert Assessment.objects.get(pk=assessment.pk).grade == Grade.C


def test_an_editors_change_to_a_published_grade_publishes_at_once(editor):
    assessment = AssessmentFactory(grade=Grade.C)
    assessment.grade = Grade.B

    assert publication.hold_edit(assessment, user=editor) is None


def test_the_history_keeps_each_version_of_the_assessment():
    assessment = AssessmentFactory(grade=Grade.C)
    assessment.grade = Grade.D
    assessment.save()

    grades = list(assessment.history.order_by("history_date").values_list("grade", flat=True))

    assert grades == ["C", "D"]
    assert assessment.version == 2


def test_the_history_keeps_the_items_that_weighed_most():
    assessment = AssessmentFactory()
    assessment.weighed_items.add(ChecklistItem.objects.first())
    assessment.save()

    latest = assessment.history.latest("history_date")

    assert [row.checklistitem_id for row in latest.weighed_items.all()] == [
        ChecklistItem.objects.first().pk
    ]


def test_the_grade_scale_is_documented():
    readme = (Path(__file__).parents[2] / "README.md").read_text()

    for grade in Grade:
        assert str(grade.label) in readme
