"""Fair-trial answers per hearing and defendant (#16, item 2): their own visibility through the
one gate, a note with a level of its own, and clear errors for bad input."""

import pytest
from django.core.exceptions import ValidationError

from cases.models import CaseDefendant
from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistItem, Finding
from tests.factories import (
    AnswerFactory,
    CaseDefendantFactory,
    CaseFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

NOTE = "ZQ witness named in the corridor"


def test_an_answer_takes_its_case_from_its_hearing():
    answer = AnswerFactory()

    assert answer.case_id == answer.hearing.case_id


def test_a_new_answer_and_its_note_are_monitors_only_by_default():
    hearing = HearingFactory()
    person = DefendantFactory()
    CaseDefendantFactory(case=hearing.case, defendant=person)

    answer = Answer.objects.create(
        hearing=hearing, defendant=person, item=ChecklistItem.objects.first(), finding="violated"
    )

    assert answer.visibility == Visibility.MONITORS
    assert answer.note_visibility == Visibility.MONITORS


def test_a_monitors_only_answer_is_hidden_from_partners_and_the_public():
    answer = AnswerFactory(visibility=Visibility.MONITORS, note_visibility=Visibility.MONITORS)

    assert not answer.is_visible_to(Visibility.PARTNERS)
    assert not answer.is_visible_to(Visibility.PUBLIC)


def test_a_public_answer_of_a_confidential_hearing_is_hidden():
    hearing = HearingFactory(visibility=Visibility.MONITORS)
    answer = AnswerFactory(hearing=hearing)

    assert not answer.is_visible_to(Visibility.PUBLIC)


def test_a_note_below_its_own_level_reads_as_empty():
    answer = AnswerFactory(note=NOTE, note_visibility=Visibility.MONITORS)

    assert answer.note_for(Visibility.PARTNERS) == ""
    assert answer.note_for(Visibility.MONITORS) == NOTE


def test_a_note_is_never_more_visible_than_its_finding():
    answer = AnswerFactory(note=NOTE, visibility=Visibility.PARTNERS)
    answer.note_visibility = Visibility.PUBLIC

    with pytest.raises(ValidationError) as error:
        answer.full_clean()

    assert error.value.messages == ["The note cannot be more visible than the finding."]


def test_an_answer_about_someone_not_in_the_case_is_refused():
    answer = AnswerFactory.build(
        hearing=HearingFactory(), defendant=DefendantFactory(), finding=Finding.VIOLATED
    )
    answer.item = ChecklistItem.objects.first()

    with pytest.raises(ValidationError) as error:
        answer.full_clean()

    assert "defendant" in error.value.message_dict


def test_hiding_a_finding_hides_its_note_with_it():
    answer = AnswerFactory(note=NOTE, visibility=Visibility.PUBLIC)
    answer.visibility = Visibility.MONITORS

    answer.full_clean()
    answer.save()

    answer.refresh_from_db()
    assert (answer.visibility, answer.note_visibility) == (Visibility.MONITORS,) * 2


def test_an_answer_follows_its_hearing_into_another_case():
    answer = AnswerFactory()
    hearing, elsewhere = answer.hearing, CaseFactory(visibility=Visibility.MONITORS)
    CaseDefendant.objects.create(case=elsewhere, defendant=answer.defendant)

    hearing.case = elsewhere
    hearing.save()

    answer.refresh_from_db()
    assert answer.case_id == elsewhere.pk
    assert not Answer.objects.visible_to(Visibility.PUBLIC).filter(pk=answer.pk).exists()
