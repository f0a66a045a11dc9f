import datetime

import pytest

from defendants.models import Category
from tests.factories import (
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    ProvinceFactory,
)

from .conftest import TODAY
from .helpers import facet_values, link_params, page, result_titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_cases():
    """Three cases that differ on every facet:

    - "Alpha": article 494 against two people, Phnom Penh court, awaiting trial, someone detained
    - "Bravo": articles 494 and 495, Siem Reap court, on appeal, released
    - "Charlie": no charge, Phnom Penh court, awaiting trial, a journalist, hearing in 2023
    """
    article_494 = ArticleFactory(number="494", title_en="Incitement")
    article_495 = ArticleFactory(number="495", title_en="Incitement to discriminate")
    phnom_penh = CourtFactory(name_en="Phnom Penh Municipal Court")
    siem_reap = CourtFactory(
        name_en="Siem Reap Provincial Court", province=ProvinceFactory(name_en="Siem Reap")
    )
    alpha = CaseFactory(title="Alpha", court=phnom_penh, status="pretrial")
    bravo = CaseFactory(title="Bravo", court=siem_reap, status="appeal")
    charlie = CaseFactory(title="Charlie", court=phnom_penh, status="pretrial")
    for _ in range(2):
        charge = ChargeFactory(case=alpha, article=article_494)
    CustodyPeriodFactory(case=alpha, defendant=charge.defendant, start=TODAY)
    charge = ChargeFactory(case=bravo, article=article_494, date_filed=datetime.date(2022, 3, 1))
    ChargeFactory(
        case=bravo,
        defendant=charge.defendant,
        article=article_495,
        date_filed=datetime.date(2022, 3, 1),
    )
    CustodyPeriodFactory(
        case=bravo,
        defendant=charge.defendant,
        start=datetime.date(2022, 3, 1),
        end=datetime.date(2022, 9, 1),
    )
    DecisionFactory(case=bravo, defendant=charge.defendant, date=datetime.date(2023, 1, 5))
    CaseDefendantFactory(case=charlie, defendant__category=Category.JOURNALIST)
    HearingFactory(case=charlie, date=datetime.date(2023, 11, 20))
    return {"alpha": alpha, "bravo": bravo, "charlie": charlie}


def test_it_lists_cases_by_title(client, three_cases):
    assert result_titles(client.get("/cases/")) == ["Alpha", "Bravo", "Charlie"]


def test_it_counts_the_cases_found(client, three_cases):
    tree = page(client.get("/cases/"))

    assert tree.find("h2", id="results-title").text() == "3 cases"


def test_each_result_names_its_people_status_court_and_articles(client):
    charge = ChargeFactory(
        case__title="Alpha",
        case__status="trial",
        case__court__name_en="Kandal Court",
        defendant__name="Sok Chan",
        article__number="494",
    )

    item = page(client.get("/cases/")).find("ol", class_="case-results").find("li")

    assert item.find("p", class_="meta").text() == "On trial · Kandal Court · Phnom Penh"
    assert item.find("p", class_="people").text() == "Sok Chan"
    assert item.find("p", class_="articles").text() == "Articles: 494"
    assert item.find("a").attrs["href"] == f"/cases/{charge.case.pk}/"


def test_the_article_facet_counts_cases_not_charges(client, three_cases):
    assert facet_values(client.get("/cases/"), "article") == {"494": 2, "495": 1}


def test_the_article_facet_labels_each_article_with_its_title(client, three_cases):
    tree = page(client.get("/cases/"))

    link = next(a for a in tree.find_all("a") if a.attrs.get("href") == "?article=494")
    assert link.text() == "494 — Incitement 2"


def test_the_court_facet_counts_cases_per_court(client, three_cases):
    court = three_cases["alpha"].court

    counts = facet_values(client.get("/cases/"), "court")

    assert counts == {str(court.pk): 2, str(three_cases["bravo"].court.pk): 1}


def test_the_province_facet_counts_cases_per_province(client, three_cases):
    assert facet_values(client.get("/cases/"), "province") == {"Phnom Penh": 2, "Siem Reap": 1}


def test_the_status_facet_counts_cases_per_status(client, three_cases):
    assert facet_values(client.get("/cases/"), "status") == {"pretrial": 2, "appeal": 1}


def test_the_category_facet_counts_cases_with_someone_of_the_category(client, three_cases):
    counts = facet_values(client.get("/cases/"), "category")

    assert counts == {"political_activist": 2, "journalist": 1}


def test_the_year_facet_counts_cases_with_a_charge_hearing_or_decision_that_year(
    client, three_cases
):
    counts = facet_values(client.get("/cases/"), "year")

    assert counts == {"2024": 1, "2023": 2, "2022": 1}


def test_the_detention_facet_counts_cases_with_someone_detained_today(client, three_cases):
    assert facet_values(client.get("/cases/"), "in_detention") == {"true": 1}


def test_facet_counts_are_within_the_current_filters(client, three_cases):
    response = client.get("/cases/", {"article": "494"})

    assert facet_values(response, "status") == {"pretrial": 1, "appeal": 1}
    assert facet_values(response, "province") == {"Phnom Penh": 1, "Siem Reap": 1}


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("article=494", ["Alpha", "Bravo"]),
        ("article=495", ["Bravo"]),
        ("province=Siem+Reap", ["Bravo"]),
        ("status=pretrial", ["Alpha", "Charlie"]),
        ("status=pretrial&status=appeal", ["Alpha", "Bravo", "Charlie"]),
        ("category=journalist", ["Charlie"]),
        ("year=2023", ["Bravo", "Charlie"]),
        ("in_detention=true", ["Alpha"]),
        ("article=494&in_detention=true", ["Alpha"]),
    ],
)
def test_a_shareable_url_filters_the_list(client, three_cases, query, titles):
    assert result_titles(client.get(f"/cases/?{query}")) == titles


def test_the_court_filter_takes_the_court_id(client, three_cases):
    court = three_cases["bravo"].court

    assert result_titles(client.get(f"/cases/?court={court.pk}")) == ["Bravo"]


def test_a_facet_link_adds_its_filter_to_the_current_ones(client, three_cases):
    tree = page(client.get("/cases/?article=494"))

    link = next(a for a in tree.find_all("a") if "in_detention" in a.attrs.get("href", ""))
    assert link_params(link.attrs["href"]) == {("article", "494"), ("in_detention", "true")}


def test_an_active_filter_is_marked_and_links_to_its_removal(client, three_cases):
    tree = page(client.get("/cases/?article=494&in_detention=true"))

    active = tree.find("a", class_="active", href="?in_detention=true")
    assert active.attrs["aria-current"] == "true"
    assert "494" in active.text()


def test_following_facet_links_narrows_the_list(client, three_cases):
    response = client.get("/cases/")
    for name, value in [("article", "494"), ("in_detention", "true")]:
        tree = page(response)
        href = next(
            a.attrs["href"]
            for a in tree.find("aside", class_="facets").find_all("a")
            if (name, value) in link_params(a.attrs["href"]) and "aria-current" not in a.attrs
        )
        response = client.get("/cases/" + href)

    assert result_titles(response) == ["Alpha"]


def test_an_article_with_a_suffix_filters_through_its_facet_link(client):
    ChargeFactory(case__title="Lese-majeste case", article__number="437 bis")

    tree = page(client.get("/cases/"))

    link = tree.find("aside", class_="facets").find("a", href="?article=437+bis")
    assert result_titles(client.get("/cases/" + link.attrs["href"])) == ["Lese-majeste case"]


def test_a_filter_it_does_not_understand_is_reported(client, three_cases):
    tree = page(client.get("/cases/?year=last"))

    assert (
        tree.find("div", class_="error")
        .text()
        .startswith("Some filters were not understood: year: ")
    )


def test_clear_all_filters_links_to_the_whole_list(client, three_cases):
    tree = page(client.get("/cases/?article=494"))

    assert any(a.text() == "Clear all filters" for a in tree.find_all("a", href="/cases/"))


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("sok", "Case of Sok Chan"),  # a name, in any case
        ("CHAN", "Case of Sok Chan"),
        ("សុខ", "Case of Sok Chan"),  # a name in Khmer script
        ("ដីធ្លី", "Land dispute"),  # a Khmer title
        ("eviction", "Land dispute"),  # a summary
        ("ការបណ្តេញ", "Land dispute"),  # a Khmer summary
        ("CR-2024", "Case of Sok Chan"),  # a case number
    ],
)
def test_search_finds_cases_in_latin_and_khmer_script(client, word, title):
    case = CaseFactory(title="Case of Sok Chan", case_number="CR-2024-17")
    CaseDefendantFactory(case=case, defendant=DefendantFactory(name="Sok Chan", name_km="សុខ ចាន់"))
    CaseFactory(
        title="Land dispute",
        title_km="វិវាទដីធ្លី",
        summary="An eviction in Koh Kong.",
        summary_km="ការបណ្តេញចេញនៅកោះកុង",
    )

    assert result_titles(client.get("/cases/", {"search": word})) == [title]


def test_search_needs_every_word(client):
    CaseFactory(title="Land dispute in Koh Kong")
    CaseFactory(title="Land dispute in Kratie")

    response = client.get("/cases/", {"search": "land kratie"})

    assert result_titles(response) == ["Land dispute in Kratie"]


def test_search_keeps_the_other_filters(client, three_cases):
    tree = page(client.get("/cases/?article=494&search=alpha"))

    form = tree.find("form", class_="search")
    assert form.find("input", type="hidden").attrs == {
        "type": "hidden",
        "name": "article",
        "value": "494",
    }
    assert form.find("input", id="search").attrs["value"] == "alpha"


def test_it_shows_twenty_five_cases_a_page(client):
    CaseFactory.create_batch(30)

    first = client.get("/cases/")
    second = client.get("/cases/", {"page": 2})

    assert len(result_titles(first)) == 25
    assert len(result_titles(second)) == 5
    assert page(first).find("nav", class_="pagination").text() == "Page 1 of 2 Next"


def test_the_next_page_keeps_the_filters(client):
    for _ in range(26):
        ChargeFactory(article__number="494")
    CaseFactory()  # no charge: not on the filtered list

    tree = page(client.get("/cases/?article=494"))

    href = tree.find("a", rel="next").attrs["href"]
    assert link_params(href) == {("article", "494"), ("page", "2")}
    assert len(result_titles(client.get("/cases/" + href))) == 1


def test_facet_links_drop_the_page_number(client):
    for _ in range(26):
        ChargeFactory(article__number="494")

    tree = page(client.get("/cases/?page=2"))

    assert tree.find("aside", class_="facets").find("a", href="?article=494")


def open_facets(response):
    tree = page(response)
    return [
        details.find("h2").text()
        for details in tree.find("aside", class_="facets").find_all("details")
        if "open" in details.attrs
    ]


def test_the_first_three_facets_and_detention_are_open(client, three_cases):
    assert open_facets(client.get("/cases/")) == ["Status", "Article", "Court", "Detention"]


def test_an_active_facet_is_open(client, three_cases):
    assert "Year" in open_facets(client.get("/cases/?year=2023"))


def test_people_on_a_result_are_separated_by_commas(client):
    case = CaseFactory()
    for name in ["Sok Chan", "Meas Sophal", "Ny Nak"]:
        CaseDefendantFactory(case=case, defendant__name=name)

    item = page(client.get("/cases/")).find("ol", class_="case-results").find("li")

    assert item.find("p", class_="people").text() == "Sok Chan, Meas Sophal, Ny Nak"


def test_a_result_counts_its_unnamed_co_defendants_instead_of_listing_them(client):
    link = CaseDefendantFactory(defendant__name="Chhim Sithar")
    for n in range(3):
        CaseDefendantFactory(case=link.case, defendant__name="", defendant__description=f"#{n}")

    item = page(client.get("/cases/")).find("ol", class_="case-results").find("li")

    assert item.find("p", class_="people").text() == ("Chhim Sithar and 3 unnamed co-defendants")
