"""The visibility gate (core/visibility.py) on facts about a person in a case: a fact is visible at
a level exactly when it, its case, its person and the link between them all are, whichever
way the gate writes that in SQL."""

import itertools

import pytest
from django.apps import apps

from cases.models import Charge
from core.visibility import Visibility
from defendants.models import CustodyPeriod
from hearings.models import Decision
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
)

pytestmark = pytest.mark.django_db

FACTS = {Charge: ChargeFactory, CustodyPeriod: CustodyPeriodFactory, Decision: DecisionFactory}
LEVELS = (Visibility.PUBLIC, Visibility.MONITORS)


def every_combination(model):
    """One fact for each combination of levels of the fact, its case, its person and their
    link; returns {fact pk: the highest of those levels}."""
    expected = {}
    for fact, case, person, link in itertools.product(LEVELS, repeat=4):
        case_row = CaseFactory(visibility=case)
        person_row = DefendantFactory(visibility=person)
        CaseDefendantFactory(case=case_row, defendant=person_row, visibility=link)
        row = FACTS[model](case=case_row, defendant=person_row, visibility=fact)
        expected[row.pk] = max(fact, case, person, link)
    return expected


@pytest.mark.parametrize("model", list(FACTS))
@pytest.mark.parametrize("level", list(Visibility))
def test_a_fact_is_visible_when_it_its_case_person_and_link_are(model, level):
    expected = every_combination(model)
    visible = {pk for pk, needs in expected.items() if needs <= level}

    assert set(model.objects.visible_to(level).values_list("pk", flat=True)) == visible
    cases = model.objects.values_list("case_id", flat=True)
    under = model.objects.visible_under(level, "case", list(cases))
    assert set(under.values_list("pk", flat=True)) == visible


def test_every_link_names_relations_the_fact_hangs_on():
    """The gate checks a linked fact's case and person inside the link's subquery: that holds
    only while the link's fields are among the fact's ``visibility_via``."""
    linked = [model for model in apps.get_models() if getattr(model, "visibility_link", None)]

    assert linked
    for model in linked:
        assert set(model.visibility_link[1:]) <= set(model.visibility_via), model
