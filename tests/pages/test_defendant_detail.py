import datetime

import pytest

from defendants.models import Category, CustodyKind
from tests.factories import (
    AffiliationFactory,
    CaseDefendantFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    SourceFactory,
)

from .conftest import TODAY
from .helpers import page

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return DefendantFactory(name="Sok Chan", name_km="សុខ ចាន់", category=Category.UNION_LEADER)


def person_page(client, person):
    return page(client.get(f"/people/{person.pk}/"))


def custody(person, **kwargs):
    link = CaseDefendantFactory(defendant=person)
    return CustodyPeriodFactory(case=link.case, defendant=person, **kwargs)


def test_it_shows_the_name_in_both_scripts_and_the_category(client, person):
    tree = person_page(client, person)

    assert tree.find("h1").text() == "Sok Chan"
    assert tree.find("p", class_="title-km").text() == "សុខ ចាន់"
    facts = {
        div.find("dt").text(): div.find("dd").text() for div in tree.find("dl").find_all("div")
    }
    assert facts["Category"] == "Union leader or activist"


def test_it_shows_affiliations(client, person):
    AffiliationFactory(defendant=person, role="president", organisation__name_en="Free Union")

    facts = person_page(client, person).find("dl").find_all("div")

    assert [(div.find("dt").text(), div.find("dd").text()) for div in facts][1:] == [
        ("Affiliation", "president, Free Union")
    ]


def test_it_lists_each_case_with_its_charges_and_article_links(client, person):
    charge = ChargeFactory(
        defendant=person, case__title="Union case", label="incitement", article__number="494"
    )
    ChargeFactory(defendant=person, case=charge.case, label="insult", article=None)

    tree = person_page(client, person)

    cases = tree.find("h2", id="cases-title").parent.find("ul")
    (item,) = [li for li in cases.find_all("li") if li.parent is cases]
    assert item.find("a").attrs["href"] == f"/cases/{charge.case.pk}/"
    assert item.find("a").text() == "Union case"
    charges = item.find("ul").find_all("li")
    assert {li.text() for li in charges} == {"“incitement” — Criminal Code art. 494", "“insult”"}
    assert item.find("ul").find("a").attrs["href"] == f"/articles/{charge.article.pk}/"


def test_it_counts_the_days_in_detention_to_today(client, person):
    custody(person, start=datetime.date(2024, 6, 5))

    tree = person_page(client, person)

    assert tree.find("p", class_="big-figure").text() == "10 days in detention"
    assert "In detention now." in tree.find("section", class_="detention").text()


def test_days_held_under_two_cases_at_once_count_once(client, person):
    custody(person, start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 11))
    custody(person, start=datetime.date(2024, 6, 6), end=datetime.date(2024, 6, 13))

    tree = person_page(client, person)

    assert tree.find("p", class_="big-figure").text() == "12 days in detention"
    assert "In detention now." not in tree.find("section", class_="detention").text()


def test_bail_is_not_counted_as_detention(client, person):
    custody(person, start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 11))
    custody(person, start=datetime.date(2024, 6, 11), kind=CustodyKind.BAIL)

    tree = person_page(client, person)

    assert tree.find("p", class_="big-figure").text() == "10 days in detention"


def test_one_day_reads_in_the_singular(client, person):
    custody(person, start=TODAY - datetime.timedelta(days=1))

    assert person_page(client, person).find("p", class_="big-figure").text() == (
        "1 day in detention"
    )


def test_a_count_from_a_date_known_to_the_month_says_about(client, person):
    custody(person, start=datetime.date(2024, 5, 1), start_precision="month")

    tree = person_page(client, person)

    assert tree.find("p", class_="big-figure").text() == "About 45 days in detention"
    assert "known only to the month" in tree.find("section", class_="detention").text()


def test_the_custody_timeline_shows_each_period_at_its_precision(client, person):
    custody(
        person,
        kind=CustodyKind.PRETRIAL_DETENTION,
        start=datetime.date(2023, 7, 1),
        start_precision="approximate",
        end=datetime.date(2024, 2, 1),
        end_precision="month",
    )
    custody(person, kind=CustodyKind.IMPRISONMENT, start=datetime.date(2024, 3, 7))

    events = person_page(client, person).find("ol", class_="timeline").find_all("li")

    assert [(e.find("time").text(), e.find("p", class_="event-title").text()) for e in events] == [
        ("c. July 2023", "Pretrial detention until February 2024"),
        ("7 March 2024", "Imprisonment — open as last reported, on 15 June 2024"),
    ]


def test_each_custody_period_names_its_case_and_source(client, person):
    period = custody(person, start=datetime.date(2024, 3, 7))
    CitationFactory(source=SourceFactory(short_title="2024 UN report"), subject=period)

    (event,) = person_page(client, person).find("ol", class_="timeline").find_all("li")

    assert event.find("a").attrs["href"] == f"/cases/{period.case.pk}/"
    assert (
        event.find("span", class_="sources").text()
        == "Source: 2024 UN report (26 August 2024), para. 34"
    )


def test_it_lists_decisions_with_their_court_and_case(client, person):
    charge = ChargeFactory(defendant=person, case__title="Union case")
    DecisionFactory(case=charge.case, defendant=person, date=datetime.date(2024, 2, 7), court=None)

    tree = person_page(client, person)

    decisions = tree.find("h2", id="decisions-title").parent
    assert decisions.find("li").text() == (
        "7 February 2024: Conviction (court of first instance) — Union case"
    )


def test_an_unnamed_person_is_described(client):
    person = DefendantFactory(name="", description="one of three activists arrested in Kratie")

    tree = person_page(client, person)

    assert tree.find("h1").text() == "Unnamed defendant"
    assert "one of three activists arrested in Kratie" in tree.find("article").find("header").text()


def test_no_custody_recorded_says_so_instead_of_zero_days(client, person):
    CaseDefendantFactory(defendant=person)

    tree = person_page(client, person)

    section = tree.find("section", class_="detention")
    assert section.find("p", class_="unknown").text() == (
        "No detention recorded in the sources held."
    )
    assert section.find_all("p", class_="big-figure") == []


def test_an_arrest_without_detention_is_not_counted_as_zero_days(client, person):
    CustodyPeriodFactory(defendant=person, kind=CustodyKind.ARREST)

    tree = person_page(client, person)

    assert tree.find_all("p", class_="big-figure") == []
    assert tree.find("p", class_="unknown").text() == "No detention recorded in the sources held."
