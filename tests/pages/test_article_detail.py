import pytest

from cases.models import OffenceClass
from core.visibility import Visibility
from hearings.models import DecisionKind
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    DecisionFactory,
    SourceFactory,
    in_use,
)

from .helpers import page, table_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        number="494",
        title_en="Incitement to commit a felony",
        title_km="ការញុះញង់",
        offence_class=OffenceClass.MISDEMEANOUR,
        penalty_min_months=6,
        penalty_max_months=24,
        fine_min_riel=1_000_000,
        fine_max_riel=4_000_000,
    )


def article_page(client, article):
    return page(client.get(f"/articles/{article.pk}/"))


def facts(tree):
    return {div.find("dt").text(): div.find("dd").text() for div in tree.find("dl").find_all("div")}


def test_it_shows_the_law_number_and_title(client, article):
    tree = article_page(client, in_use(article))

    assert tree.find("h1").text() == "Criminal Code — article 494"
    assert tree.find("p", class_="lead").text() == "Incitement to commit a felony · ការញុះញង់"


def test_it_shows_the_offence_class(client, article):
    assert facts(article_page(client, in_use(article)))["Offence class"] == "Misdemeanour"


def test_it_shows_the_penalty(client, article):
    assert facts(article_page(client, in_use(article)))["Penalty"] == (
        "6 to 24 months in prison; a fine of 1000000 to 4000000 riel"
    )


def test_an_unknown_penalty_says_so(client):
    article = in_use(ArticleFactory(offence_class=OffenceClass.FELONY))

    assert facts(article_page(client, article))["Penalty"] == "not recorded"


def test_an_article_with_no_class_or_penalty_says_it_is_unknown_once(client):
    tree = article_page(client, in_use(ArticleFactory()))

    assert tree.find("p", class_="unknown").text() == (
        "The sources held record neither this article's offence class nor its penalty."
    )
    assert "not recorded" not in tree.find("article").text().lower()


def test_a_penalty_of_a_fine_only_names_the_fine(client):
    article = in_use(ArticleFactory(fine_min_riel=100_000, fine_max_riel=1_000_000))

    assert facts(article_page(client, article))["Penalty"] == "a fine of 100000 to 1000000 riel"


def test_the_outcomes_column_says_what_it_counts(client, article):
    charge = ChargeFactory(article=article)
    DecisionFactory(case=charge.case, defendant=charge.defendant).charges.add(charge)

    tree = article_page(client, article)

    table = tree.find("h2", id="outcomes-title").parent.find("table")
    assert [th.text() for th in table.find("thead").find_all("th")] == [
        "Decision",
        "Number of decisions",
    ]


def test_a_citation_repeated_on_the_article_shows_once(client, article):
    source = SourceFactory(short_title="LICADHO review")
    for _ in range(3):
        CitationFactory(source=source, paragraph="34", subject=article)

    tree = article_page(client, in_use(article))

    assert tree.find("span", class_="sources").text() == (
        "Source: LICADHO review (26 August 2024), para. 34"
    )


def test_a_long_list_of_cases_is_paginated(client, article):
    for n in range(30):
        ChargeFactory(article=article, case__title=f"Case {n:02}")

    tree = article_page(client, article)

    cases = tree.find("h2", id="cases-title").parent
    assert cases.find("h2").text() == "30 cases charged under this article"
    assert len(cases.find("ul").find_all("li")) == 25
    assert cases.find("a", rel="next").attrs["href"] == "?page=2"


def test_it_cites_the_source_of_the_penalty(client, article):
    CitationFactory(source=SourceFactory(short_title="LICADHO review"), subject=article)

    tree = article_page(client, in_use(article))

    assert (
        tree.find("span", class_="sources").text()
        == "Source: LICADHO review (26 August 2024), para. 34"
    )


def test_it_lists_each_case_charged_under_it_once(client, article):
    charge = ChargeFactory(article=article, case__title="Alpha", case__status="trial")
    ChargeFactory(article=article, case=charge.case)  # a second person in the same case
    ChargeFactory(article=article, case__title="Bravo")
    ChargeFactory(case__title="Other article")
    CaseFactory(title="No charge")

    tree = article_page(client, article)

    cases = tree.find("h2", id="cases-title").parent
    assert cases.find("h2").text() == "2 cases charged under this article"
    links = cases.find("ul").find_all("a")
    assert [a.text() for a in links] == ["Alpha", "Bravo"]
    assert links[0].attrs["href"] == f"/cases/{charge.case.pk}/"


def test_it_links_to_the_case_list_filtered_by_it(client):
    article = in_use(ArticleFactory(number="437 bis"))

    tree = article_page(client, article)

    assert tree.find("a", href="/cases/?article=437%20bis")


def test_an_article_no_public_charge_cites_is_a_404(client, article):
    """Issue #20, finding 2: reference data is served only while something public uses it."""
    ChargeFactory(article=article, visibility=Visibility.MONITORS)

    assert client.get(f"/articles/{article.pk}/").status_code == 404


def test_it_counts_the_outcomes_of_decisions_on_its_charges(client, article):
    for kind in [DecisionKind.CONVICTION, DecisionKind.CONVICTION, DecisionKind.ACQUITTAL]:
        charge = ChargeFactory(article=article)
        decision = DecisionFactory(case=charge.case, defendant=charge.defendant, kind=kind)
        decision.charges.add(charge)
    other = ChargeFactory()
    DecisionFactory(
        case=other.case, defendant=other.defendant, kind=DecisionKind.DISMISSED
    ).charges.add(other)

    tree = article_page(client, article)

    outcomes = tree.find("h2", id="outcomes-title").parent.find("table")
    assert table_rows(outcomes) == [["Conviction", "2"], ["Acquittal", "1"]]


def test_an_unknown_article_answers_404(client):
    assert client.get("/articles/999999/").status_code == 404
