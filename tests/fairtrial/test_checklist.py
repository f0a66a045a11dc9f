"""The fair-trial checklist is data in versions (#16, item 1): loaded by a migration, each item
citing its standard, and read-only once answers were given under its version."""

import pytest
from django.core.exceptions import ValidationError

from fairtrial.models import ChecklistInUse, ChecklistItem, ChecklistVersion, Stage
from tests.factories import AnswerFactory, ChecklistItemFactory, ChecklistVersionFactory

pytestmark = pytest.mark.django_db


def test_the_migration_loads_version_1_with_items_at_every_stage():
    version = ChecklistVersion.objects.get(number=1)

    stages = set(version.items.values_list("stage", flat=True))

    assert stages == set(Stage.values)


def test_every_item_of_version_1_cites_a_standard():
    items = ChecklistItem.objects.filter(checklist__number=1)

    assert items.count() > 15
    assert not items.filter(standard="").exists()


def test_version_1_claims_no_unchecked_code_article_or_translation():
    items = ChecklistItem.objects.filter(checklist__number=1)

    assert not items.exclude(ccp_article="").exists()
    assert all(item.english_only for item in items)


def test_an_item_of_an_unused_version_can_change():
    item = ChecklistItemFactory()
    item.text_en = "Reworded."

    item.save()

    assert ChecklistItem.objects.get(pk=item.pk).text_en == "Reworded."


def test_an_item_of_a_version_in_use_cannot_change():
    answer = AnswerFactory()
    item = answer.item
    item.text_en = "Reworded."

    with pytest.raises(ChecklistInUse):
        item.save()


def test_an_item_cannot_be_added_to_a_version_in_use():
    answer = AnswerFactory()

    with pytest.raises(ChecklistInUse):
        ChecklistItemFactory(checklist=answer.item.checklist)


def test_an_item_of_a_version_in_use_cannot_be_deleted():
    answer = AnswerFactory()

    with pytest.raises(ChecklistInUse):
        answer.item.delete()


def test_validating_an_item_of_a_version_in_use_is_a_validation_error():
    answer = AnswerFactory()

    with pytest.raises(ValidationError):
        answer.item.full_clean()


def test_an_old_versions_answers_keep_their_item_text_after_a_new_version():
    old_item = ChecklistItemFactory(code="lawyer", text_en="Access to a lawyer from arrest.")
    answer = AnswerFactory(item=old_item)

    new_version = ChecklistVersionFactory(number=old_item.checklist.number + 1)
    ChecklistItemFactory(checklist=new_version, code="lawyer", text_en="A lawyer within 48 hours.")

    answer.refresh_from_db()
    assert answer.item.text_en == "Access to a lawyer from arrest."
    assert answer.item.checklist_id == old_item.checklist_id


def test_the_current_version_is_the_newest():
    newer = ChecklistVersionFactory(number=99)

    assert ChecklistVersion.current() == newer
