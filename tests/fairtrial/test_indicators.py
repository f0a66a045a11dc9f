"""Fair-trial indicators on the statistics page (#16, item 4): computed at the public level
only, each figure with the number of hearings behind it."""

import datetime

import pytest

from core.visibility import Visibility
from fairtrial.indicators import by_article, indicators_by_dimension, right_indicators
from fairtrial.models import Answer, ChecklistItem
from tests.factories import (
    AnswerFactory,
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    ChecklistItemFactory,
    ChecklistVersionFactory,
    CourtFactory,
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


# Per court, per article charged and per year (indicators_by_dimension).


def by(dimension, viewer=Visibility.PUBLIC):
    """``{row label: {code: (hearings, violated)}}`` for one dimension."""
    breakdown = indicators_by_dimension(viewer)[dimension]
    return {
        label: {cell.code: (cell.hearings, cell.violated) for cell in cells if cell}
        for label, cells in breakdown.table
    }


def test_each_court_counts_its_own_hearings(lawyer):
    first, second = CourtFactory(name_en="Court A"), CourtFactory(name_en="Court B")
    AnswerFactory(item=lawyer, finding="violated", hearing=HearingFactory(court=first))
    AnswerFactory(item=lawyer, finding="respected", hearing=HearingFactory(court=first))
    AnswerFactory(item=lawyer, finding="respected", hearing=HearingFactory(court=second))

    assert by("court") == {
        "Court A": {"lawyer-from-arrest": (2, 1)},
        "Court B": {"lawyer-from-arrest": (1, 0)},
    }


def test_a_hearing_naming_no_court_counts_for_its_cases_court(lawyer):
    case = CaseFactory(court=CourtFactory(name_en="Court of the case"))
    AnswerFactory(item=lawyer, finding="violated", hearing=HearingFactory(case=case, court=None))

    assert by("court") == {"Court of the case": {"lawyer-from-arrest": (1, 1)}}


def test_a_hearing_without_any_court_is_counted_as_such(lawyer):
    hearing = HearingFactory(case=CaseFactory(court=None), court=None)
    AnswerFactory(item=lawyer, finding="violated", hearing=hearing)

    assert by("court") == {"court not recorded": {"lawyer-from-arrest": (1, 1)}}


def test_each_article_charged_in_the_case_counts_the_hearing(lawyer):
    hearing = HearingFactory()
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="495"))
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    AnswerFactory(item=lawyer, finding="violated", hearing=hearing)

    assert by("article") == {
        "Criminal Code art. 494": {"lawyer-from-arrest": (1, 1)},
        "Criminal Code art. 495": {"lawyer-from-arrest": (1, 1)},
    }


def test_an_article_counts_a_hearing_once_violated_if_it_was_for_anyone(lawyer):
    hearing = HearingFactory()
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    AnswerFactory(item=lawyer, finding="respected", hearing=hearing)
    AnswerFactory(item=lawyer, finding="partly", hearing=hearing)
    AnswerFactory(item=lawyer, finding="respected", hearing=HearingFactory(case=hearing.case))

    assert by("article") == {"Criminal Code art. 494": {"lawyer-from-arrest": (2, 1)}}


def test_answers_that_can_match_nothing_count_for_no_article(lawyer):
    hearing = HearingFactory()
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    AnswerFactory(item=lawyer, finding="violated", hearing=hearing)

    assert by_article(Answer.objects.filter(pk__in=[]), Visibility.PUBLIC) == []


def test_a_hearing_of_a_case_without_charges_counts_for_no_article(lawyer):
    AnswerFactory(item=lawyer, finding="violated")

    assert by("article") == {}


def test_each_year_counts_its_hearings(lawyer):
    for year, finding in [(2023, "violated"), (2024, "partly"), (2024, "respected")]:
        hearing = HearingFactory(date=datetime.date(year, 3, 1))
        AnswerFactory(item=lawyer, finding=finding, hearing=hearing)

    assert by("year") == {
        "2023": {"lawyer-from-arrest": (1, 1)},
        "2024": {"lawyer-from-arrest": (2, 1)},
    }


def test_each_right_is_a_column_in_checklist_order(lawyer):
    other = ChecklistItem.objects.filter(checklist__number=1).exclude(pk=lawyer.pk).last()
    hearing = HearingFactory()
    AnswerFactory(item=other, finding="violated", hearing=hearing)
    AnswerFactory(item=lawyer, finding="respected", hearing=hearing)
    AnswerFactory(item=lawyer, finding="violated")

    breakdown = indicators_by_dimension(Visibility.PUBLIC)["year"]
    [(label, cells)] = breakdown.table

    assert list(breakdown.rights) == [lawyer.code, other.code]
    assert [(c.code, c.hearings, c.violated, c.respected) for c in cells] == [
        (lawyer.code, 2, 1, 1),
        (other.code, 1, 1, 0),
    ]


def test_a_right_not_observed_under_a_value_has_an_empty_cell(lawyer):
    other = ChecklistItem.objects.filter(checklist__number=1).exclude(pk=lawyer.pk).last()
    AnswerFactory(
        item=lawyer, finding="violated", hearing=HearingFactory(date=datetime.date(2023, 1, 1))
    )
    AnswerFactory(
        item=other, finding="violated", hearing=HearingFactory(date=datetime.date(2024, 1, 1))
    )

    table = indicators_by_dimension(Visibility.PUBLIC)["year"].table

    assert [(label, [c and c.code for c in cells]) for label, cells in table] == [
        ("2023", [lawyer.code, None]),
        ("2024", [None, other.code]),
    ]


def public_figures():
    return {dimension: by(dimension) for dimension in ("court", "article", "year")}


def charged_hearing(**hearing):
    """A public hearing of a case with a public charge under article 494."""
    hearing = HearingFactory(**hearing)
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="494"))
    return hearing


@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_violations_above_the_public_level_change_no_public_figure_by_court_article_or_year(
    lawyer, level
):
    court = CourtFactory(name_en="Court A")
    AnswerFactory(item=lawyer, finding="respected", hearing=charged_hearing(court=court))
    before = public_figures()

    # An answer at the level, at a public hearing of the same court, year and article.
    AnswerFactory(
        item=lawyer, finding="violated", hearing=charged_hearing(court=court), visibility=level
    )
    # A public answer at a hearing at the level.
    AnswerFactory(
        item=lawyer, finding="violated", hearing=charged_hearing(court=court, visibility=level)
    )
    # A public answer at a hearing of a case at the level, in another court and year.
    hidden_case = CaseFactory(visibility=level, court=CourtFactory(name_en="Hidden court"))
    AnswerFactory(
        item=lawyer,
        finding="violated",
        hearing=charged_hearing(case=hidden_case, date=datetime.date(2019, 1, 1)),
    )

    assert (
        public_figures()
        == before
        == {
            "court": {"Court A": {"lawyer-from-arrest": (1, 0)}},
            "article": {"Criminal Code art. 494": {"lawyer-from-arrest": (1, 0)}},
            "year": {"2024": {"lawyer-from-arrest": (1, 0)}},
        }
    )


@pytest.mark.parametrize("level", [Visibility.PARTNERS, Visibility.MONITORS])
def test_a_charge_hidden_from_the_public_adds_no_article_to_the_public_figures(lawyer, level):
    hearing = charged_hearing()
    ChargeFactory(case=hearing.case, article=ArticleFactory(number="720"), visibility=level)
    AnswerFactory(item=lawyer, finding="violated", hearing=hearing)

    assert by("article") == {"Criminal Code art. 494": {"lawyer-from-arrest": (1, 1)}}


def test_a_public_charge_of_a_person_hidden_in_the_case_adds_no_article(lawyer):
    hearing = charged_hearing()
    link = CaseDefendantFactory(case=hearing.case, visibility=Visibility.MONITORS)
    ChargeFactory(case=hearing.case, defendant=link.defendant, article=ArticleFactory(number="720"))
    AnswerFactory(item=lawyer, finding="violated", hearing=hearing)

    assert by("article") == {"Criminal Code art. 494": {"lawyer-from-arrest": (1, 1)}}


def test_monitors_see_the_figures_of_every_level(lawyer):
    AnswerFactory(item=lawyer, finding="respected")
    AnswerFactory(item=lawyer, finding="violated", visibility=Visibility.MONITORS)

    assert by("year", Visibility.MONITORS) == {"2024": {"lawyer-from-arrest": (2, 1)}}


def test_the_figures_by_court_article_and_year_read_four_queries(lawyer, django_assert_num_queries):
    for year in (2022, 2023, 2024):
        AnswerFactory(
            item=lawyer, finding="violated", hearing=charged_hearing(date=datetime.date(year, 1, 1))
        )
    # 1. per court and right  2. per article and right  3. per year and right  4. their wording
    with django_assert_num_queries(4):
        indicators_by_dimension(Visibility.PUBLIC)
