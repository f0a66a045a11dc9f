"""Fair-trial indicators on the statistics page (#16, item 4): computed at the public level
only, each figure with the number of hearings behind it."""

import pytest

from core.visibility import Visibility
from fairtrial.indicators import right_indicators
from fairtrial.models import ChecklistItem
from tests.factories import (
    AnswerFactory,
    CaseFactory,
    ChecklistItemFactory,
    ChecklistVersionFactory,
    HearingFactory,
)
from tests.pages.helpers import csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def lawyer():
    return ChecklistItem.objects.get(checklist__number=1, code="lawyer-from-arrest")


def figures(viewer=Visibility.PUBLIC):
    return {i.code: (i.hearings, i.violated) for i in right_indicators(viewer)}


def test_a_right_counts_the_hearings_where_it_was_observed_and_violated(lawyer):
    AnswerFactory(item=lawyer, finding="violated")
    AnswerFactory(item=lawyer, finding="partly")
    AnswerFactory(item=lawyer, finding="respected")

    assert figures() == {"lawyer-from-arrest": (3, 2)}


def test_a_hearing_counts_once_whatever_its_number_of_defendants(lawyer):
    first = AnswerFactory(item=lawyer, finding="violated")
    AnswerFactory(item=lawyer, hearing=first.hearing, finding="violated")

    assert figures() == {"lawyer-from-arrest": (1, 1)}


def test_what_could_not_be_observed_or_did_not_apply_is_not_counted(lawyer):
    AnswerFactory(item=lawyer, finding="not_observed")
    AnswerFactory(item=lawyer, finding="not_applicable")

    assert figures() == {}


@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_violations_answered_above_the_public_level_change_no_public_figure(lawyer, level):
    AnswerFactory(item=lawyer, finding="respected")
    before = figures()

    AnswerFactory(item=lawyer, finding="violated", visibility=level)
    AnswerFactory(item=lawyer, finding="violated", hearing=HearingFactory(visibility=level))
    AnswerFactory(
        item=lawyer,
        finding="violated",
        hearing=HearingFactory(case=CaseFactory(visibility=level)),
    )

    assert figures() == before == {"lawyer-from-arrest": (1, 0)}


def test_a_right_is_followed_across_checklist_versions(lawyer):
    AnswerFactory(item=lawyer, finding="violated")
    newer = ChecklistVersionFactory(number=2)
    reworded = ChecklistItemFactory(
        checklist=newer, code=lawyer.code, text_en="A lawyer within 48 hours of arrest."
    )
    AnswerFactory(item=reworded, finding="respected")

    [indicator] = right_indicators(Visibility.PUBLIC)

    assert (indicator.label, indicator.hearings, indicator.violated) == (
        "A lawyer within 48 hours of arrest.",
        2,
        1,
    )


def test_the_statistics_csv_gives_each_share_with_its_hearings(client, lawyer):
    AnswerFactory(item=lawyer, finding="violated")
    AnswerFactory(item=lawyer, finding="respected")
    AnswerFactory(item=lawyer, finding="violated", visibility=Visibility.MONITORS)

    rows = csv_rows(client.get("/statistics/fair-trial-violations.csv"))

    assert rows == [
        ["Right", "Hearings where it was violated (%)", "Hearings observed"],
        [lawyer.text_en, "50", "2"],
    ]
