"""``visible_under(viewer, "case", ids)`` applies the rule of ``visible_to`` to the records of
the cases ``ids``: it returns exactly ``visible_to(viewer).filter(case_id__in=ids)``."""

import pytest

from cases.models import CaseDefendant, Charge
from core.visibility import Visibility
from hearings.models import Hearing
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    DefendantFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

MODELS = pytest.mark.parametrize("model", [Hearing, Charge, CaseDefendant])


@pytest.fixture
def asked_case_ids():
    """The ids of a case at each level, whose records mix every level of their own, of their
    person and of the person's link to the case; a public case with records of each kind is
    left out of the ids."""
    cases = [CaseFactory(visibility=level) for level in Visibility]
    left_out = CaseFactory()
    # One person per (person's level, link's level): every combination under every case.
    people = [
        (DefendantFactory(visibility=person_level), link_level)
        for person_level in Visibility
        for link_level in Visibility
    ]
    for case in [*cases, left_out]:
        for person, link_level in people:
            CaseDefendantFactory(case=case, defendant=person, visibility=link_level)
            for level in Visibility:
                ChargeFactory(case=case, defendant=person, visibility=level)
        for level in Visibility:
            HearingFactory(case=case, visibility=level)
    return [case.pk for case in cases]


def pks(queryset):
    return set(queryset.values_list("pk", flat=True))


@MODELS
@pytest.mark.parametrize("level", list(Visibility), ids=lambda level: level.name.lower())
def test_it_returns_what_visible_to_returns_for_those_cases(model, level, asked_case_ids):
    expected = pks(model.objects.visible_to(level).filter(case_id__in=asked_case_ids))

    assert pks(model.objects.visible_under(level, "case", asked_case_ids)) == expected


@MODELS
@pytest.mark.parametrize(
    ("level", "case_level"),
    [
        pytest.param(Visibility.PUBLIC, Visibility.PARTNERS, id="public-viewer-partners-case"),
        pytest.param(Visibility.PUBLIC, Visibility.MONITORS, id="public-viewer-monitors-case"),
        pytest.param(Visibility.PARTNERS, Visibility.MONITORS, id="partner-viewer-monitors-case"),
    ],
)
def test_the_public_records_of_a_case_the_viewer_may_not_see_are_left_out(model, level, case_level):
    hidden, seen = CaseFactory(visibility=case_level), CaseFactory()
    for case in (hidden, seen):
        HearingFactory(case=case)
        ChargeFactory(case=case)  # and its link to the person, all public

    found = pks(model.objects.visible_under(level, "case", [hidden.pk, seen.pk]))

    assert found == pks(model.objects.filter(case=seen))
