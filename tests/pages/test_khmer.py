"""The Khmer site at /km/…: the page declares its language, shows Khmer names, and the
language switcher leads to the same page in the other language."""

import pytest

from cases.models import Tag
from tests.factories import (
    ArticleFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
)

from .helpers import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return CaseDefendantFactory(
        case__title="Case of Sok Chan", defendant__name="Sok Chan", defendant__name_km="សុខ ចាន់"
    )


def language_links(tree):
    nav = tree.find("nav", class_="languages")
    return {a.attrs["hreflang"]: a.attrs["href"] for a in nav.find_all("a")}


@pytest.mark.parametrize("path", ["/", "/cases/", "/statistics/", "/hearings/"])
def test_khmer_pages_declare_their_language(client, path):
    tree = page(client.get(f"/km{path}"))

    assert tree.find("html").attrs["lang"] == "km"


@pytest.mark.parametrize("path", ["/", "/cases/", "/statistics/", "/hearings/"])
def test_english_pages_declare_their_language(client, path):
    tree = page(client.get(path))

    assert tree.find("html").attrs["lang"] == "en"


def test_a_khmer_person_page_shows_the_khmer_name(client, link):
    tree = page(client.get(f"/km/people/{link.defendant.pk}/"))

    name = tree.find("p", class_="title-km")
    assert (name.text(), name.attrs["lang"]) == ("សុខ ចាន់", "km")


def test_a_khmer_case_page_shows_the_khmer_name_of_each_defendant(client, link):
    tree = page(client.get(f"/km/cases/{link.case.pk}/"))

    assert tree.find("ul", class_="people-list").find("span", lang="km").text() == "(សុខ ចាន់)"


def test_links_on_a_khmer_page_stay_in_khmer(client, link):
    tree = page(client.get(f"/km/cases/{link.case.pk}/"))

    person = tree.find("ul", class_="people-list").find("a")
    assert person.attrs["href"] == f"/km/people/{link.defendant.pk}/"


def test_the_khmer_interface_is_translated(client):
    tree = page(client.get("/km/"))

    cases = tree.find("ul", class_="nav").find("a", href="/km/cases/").text()
    assert cases != "Cases"
    assert any("\u1780" <= character <= "\u17ff" for character in cases)  # Khmer script


def test_the_switcher_links_an_english_page_to_the_same_khmer_page(client, link):
    tree = page(client.get(f"/cases/{link.case.pk}/"))

    assert language_links(tree) == {"km": f"/km/cases/{link.case.pk}/"}


def test_the_switcher_links_a_khmer_page_to_the_same_english_page(client, link):
    tree = page(client.get(f"/km/cases/{link.case.pk}/"))

    assert language_links(tree) == {"en": f"/cases/{link.case.pk}/"}


def test_the_switcher_keeps_the_filters(client):
    tree = page(client.get("/cases/?article=494&in_detention=true"))

    assert language_links(tree) == {"km": "/km/cases/?article=494&in_detention=true"}


def test_the_switcher_marks_the_current_language(client):
    tree = page(client.get("/km/"))

    current = tree.find("nav", class_="languages").find("span", **{"aria-current": "true"})
    assert (current.text(), current.attrs["lang"]) == ("ខ្មែរ", "km")


# --- Names of places, topics and offences: data with a Khmer version ---------------------------

COURT_KM = "សាលាដំបូងរាជធានីភ្នំពេញ"


@pytest.fixture
def khmer_named_case():
    """A case at a court, under a topic and charged under an article, each named in both
    languages (the province, Phnom Penh, has its Khmer name from the migrations)."""
    charge = ChargeFactory(
        case__court=CourtFactory(name_en="Phnom Penh Municipal Court", name_km=COURT_KM),
        article=ArticleFactory(title_en="Incitement", title_km="ការញុះញង់"),
    )
    charge.case.tags.add(Tag.objects.create(slug="land", name_en="Land", name_km="ដីធ្លី"))
    return charge.case


def court_line(tree):
    return tree.find("dl").text()


def test_a_khmer_case_page_names_the_court_and_province_in_khmer(client, khmer_named_case):
    tree = page(client.get(f"/km/cases/{khmer_named_case.pk}/"))

    assert f"{COURT_KM}, ភ្នំពេញ" in court_line(tree)


def test_an_english_case_page_names_the_court_and_province_in_english(client, khmer_named_case):
    tree = page(client.get(f"/cases/{khmer_named_case.pk}/"))

    assert "Phnom Penh Municipal Court, Phnom Penh" in court_line(tree)


def test_a_khmer_case_page_names_topics_and_offences_in_khmer(client, khmer_named_case):
    text = page(client.get(f"/km/cases/{khmer_named_case.pk}/")).text()

    assert "ដីធ្លី" in text and "ការញុះញង់" in text
    assert "Incitement" not in text


def test_a_court_without_a_khmer_name_keeps_its_english_name_on_khmer_pages(client):
    case = CaseFactory(court=CourtFactory(name_en="Kampot Provincial Court", name_km=""))

    assert "Kampot Provincial Court" in court_line(page(client.get(f"/km/cases/{case.pk}/")))


def test_the_khmer_case_list_labels_the_court_facet_in_khmer(client, khmer_named_case):
    facets = client.get("/km/cases/").context["facets"]

    courts = next(values for name, _title, values in facets if name == "court")
    assert [label for _value, label, _n in courts] == [COURT_KM]


def test_the_khmer_case_list_labels_the_article_facet_in_khmer(client, khmer_named_case):
    facets = client.get("/km/cases/").context["facets"]

    articles = next(values for name, _title, values in facets if name == "article")
    [(number, label, _n)] = articles
    assert label == f"{number} — ការញុះញង់"


# Content in the reader's language, or marked "English only" (issue #18).


def test_a_khmer_case_page_shows_the_khmer_title_where_there_is_one(client):
    case = CaseFactory(title="Land dispute", title_km="វិវាទដីធ្លី")

    h1 = page(client.get(f"/km/cases/{case.pk}/")).find("h1")

    assert (h1.text(), h1.find("span").attrs["lang"]) == ("វិវាទដីធ្លី", "km")


def test_a_khmer_case_page_marks_an_english_only_title(client):
    case = CaseFactory(title="Land dispute", title_km="")

    h1 = page(client.get(f"/km/cases/{case.pk}/")).find("h1")

    assert h1.find("span", lang="en").text() == "Land dispute"
    badge = h1.find("span", class_="english-only")
    assert badge.find("span", class_="visually-hidden").text()  # read out, not only seen


def test_an_english_case_page_marks_nothing(client):
    case = CaseFactory(title="Land dispute", title_km="")

    tree = page(client.get(f"/cases/{case.pk}/"))

    assert tree.find("h1").text() == "Land dispute"
    assert tree.find_all("span", class_="english-only") == []


def test_a_khmer_case_page_shows_the_khmer_summary_alone(client):
    case = CaseFactory(summary="Evicted in Koh Kong", summary_km="ការបណ្តេញចេញនៅកោះកុង")

    text = page(client.get(f"/km/cases/{case.pk}/")).find("section").text()

    assert "ការបណ្តេញចេញនៅកោះកុង" in text
    assert "Evicted in Koh Kong" not in text


def test_a_khmer_case_page_marks_an_english_only_court(client):
    case = CaseFactory(court=CourtFactory(name_en="Kampot Provincial Court", name_km=""))

    dd = page(client.get(f"/km/cases/{case.pk}/")).find("dl").find_all("dd")[1]

    assert dd.find("span", lang="en").text() == "Kampot Provincial Court"
    assert dd.find_all("span", class_="english-only")


def test_the_khmer_case_list_marks_english_only_titles(client):
    CaseFactory(title="Land dispute", title_km="")
    CaseFactory(title="Union case", title_km="សំណុំរឿងសហជីព")

    results = page(client.get("/km/cases/")).find("ol", class_="case-results")

    marked = [
        h3.find("span").text()
        for h3 in results.find_all("h3")
        if h3.find_all("span", class_="english-only")
    ]
    assert marked == ["Land dispute"]


def test_a_khmer_article_page_marks_an_english_only_title(client):
    article = ArticleFactory(title_en="Incitement", title_km="")
    ChargeFactory(article=article)

    lead = page(client.get(f"/km/articles/{article.pk}/")).find("p", class_="lead")

    assert lead.find("span", lang="en").text() == "Incitement"
    assert lead.find_all("span", class_="english-only")


def test_a_khmer_person_page_marks_an_english_only_description(client):
    link = CaseDefendantFactory(defendant__name="", defendant__description="one of nine")

    header = page(client.get(f"/km/people/{link.defendant.pk}/")).find("article").find("header")

    assert header.find("span", lang="en").text() == "one of nine"
    assert header.find_all("span", class_="english-only")
