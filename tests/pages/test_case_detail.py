import datetime

import pytest

from defendants.models import CustodyKind
from hearings.models import DecisionKind, HearingKind, HearingStatus
from tests.factories import (
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    SourceFactory,
)

from .helpers import page

pytestmark = pytest.mark.django_db


def timeline(client, case):
    tree = page(client.get(f"/cases/{case.pk}/"))
    return tree.find("ol", class_="timeline").find_all("li", class_="event")


def event_texts(events):
    return [(e.find("time").text(), e.find("p", class_="event-title").text()) for e in events]


@pytest.fixture
def charge():
    return ChargeFactory(
        case__title="Case of Sok Chan",
        defendant__name="Sok Chan",
        article__number="494",
        article__title_en="Incitement",
        label="incitement to disturb social security",
        date_filed=datetime.date(2023, 7, 23),
    )


def test_it_shows_the_case_title_status_and_court(client, charge):
    case = charge.case
    case.title_km = "សំណុំរឿងសុខ ចាន់"
    case.status_as_of = datetime.date(2024, 5, 31)
    case.save()

    tree = page(client.get(f"/cases/{case.pk}/"))

    assert tree.find("h1").text() == "Case of Sok Chan"
    assert tree.find("p", class_="title-km").text() == "សំណុំរឿងសុខ ចាន់"
    facts = {
        div.find("dt").text(): div.find("dd").text() for div in tree.find("dl").find_all("div")
    }
    assert facts["Status"] == "Awaiting trial (as of 31 May 2024)"
    assert facts["Court"] == f"{case.court.name_en}, Phnom Penh"


def test_the_timeline_is_in_date_order(client, charge):
    case, person = charge.case, charge.defendant
    DecisionFactory(case=case, defendant=person, date=datetime.date(2024, 2, 7))
    HearingFactory(case=case, date=datetime.date(2024, 1, 15), kind=HearingKind.TRIAL)
    CustodyPeriodFactory(case=case, defendant=person, start=datetime.date(2023, 7, 23))

    events = timeline(client, charge.case)

    assert [e.find("time").attrs["datetime"] for e in events] == [
        "2023-07-23",  # arrest first on the same day as the charge
        "2023-07-23",
        "2024-01-15",
        "2024-02-07",
    ]
    assert [e.classes[1] for e in events] == [
        "event-custody",
        "event-charge",
        "event-hearing",
        "event-decision",
    ]


@pytest.mark.parametrize(
    ("precision", "shown", "machine"),
    [
        ("day", "7 March 2024", "2024-03-07"),
        ("month", "March 2024", "2024-03"),
        ("approximate", "c. March 2024", "2024-03"),
        ("year", "2024", "2024"),
    ],
)
def test_each_date_is_shown_at_its_precision(client, precision, shown, machine):
    hearing = HearingFactory(date=datetime.date(2024, 3, 7), date_precision=precision)

    (event,) = timeline(client, hearing.case)

    assert event.find("time").text() == shown
    assert event.find("time").attrs["datetime"] == machine


def test_a_month_precision_date_never_gains_a_day(client):
    hearing = HearingFactory(date=datetime.date(2024, 3, 1), date_precision="month")

    text = page(client.get(f"/cases/{hearing.case.pk}/")).find("ol", class_="timeline").text()

    assert "March 2024" in text
    assert "1 March 2024" not in text


def test_an_approximate_date_reads_circa(client):
    custody = CustodyPeriodFactory(start=datetime.date(2023, 7, 1), start_precision="approximate")

    (event,) = timeline(client, custody.case)

    assert event.find("time").text() == "c. July 2023"


def test_timeline_events_say_what_happened(client, charge):
    case, person = charge.case, charge.defendant
    CustodyPeriodFactory(case=case, defendant=person, start=datetime.date(2023, 7, 23))
    HearingFactory(
        case=case,
        date=datetime.date(2024, 1, 15),
        kind=HearingKind.TRIAL,
        status=HearingStatus.POSTPONED,
        monitored=True,
        court=case.court,
    )
    DecisionFactory(
        case=case,
        defendant=person,
        date=datetime.date(2024, 2, 7),
        kind=DecisionKind.CONVICTION,
        prison_months=30,
        political_rights_ban_years=5,
    )

    assert event_texts(timeline(client, case)) == [
        ("23 July 2023", "Sok Chan placed in pretrial detention"),
        (
            "23 July 2023",
            "Sok Chan charged with “incitement to disturb social security”"
            " (Criminal Code art. 494)",
        ),
        ("15 January 2024", f"Trial hearing at {case.court} (postponed) — monitored"),
        ("7 February 2024", f"Sok Chan: conviction ({case.court})"),
    ]


def test_a_decision_shows_its_sentence(client, charge):
    DecisionFactory(
        case=charge.case,
        defendant=charge.defendant,
        kind=DecisionKind.CONVICTION,
        prison_months=30,
        fined=True,
        fine_riel=2_000_000,
        political_rights_ban_years=5,
    )

    (decision,) = [e for e in timeline(client, charge.case) if "event-decision" in e.classes]

    assert decision.find("p", class_="event-detail").text() == (
        "2 years and 6 months in prison; a fine of 2,000,000 riel; "
        "a 5-year ban on voting and standing for election"
    )


def test_each_fact_shows_its_source_and_paragraph(client, charge):
    source = SourceFactory(short_title="2024 UN report")
    CitationFactory(source=source, subject=charge, paragraph="35")
    hearing = HearingFactory(case=charge.case)
    CitationFactory(source=source, subject=hearing, paragraph="36")
    CitationFactory(source=SourceFactory(short_title="Court notice"), subject=hearing, paragraph="")

    sources = [e.find("span", class_="sources").text() for e in timeline(client, charge.case)]

    assert sources == [
        "Source: 2024 UN report (26 August 2024), para. 35",
        "Source: 2024 UN report (26 August 2024), para. 36; Court notice (26 August 2024)",
    ]


def test_the_summary_shows_its_source(client, charge):
    case = charge.case
    case.summary = "Arrested on election day."
    case.save()
    CitationFactory(source=SourceFactory(short_title="2024 UN report"), subject=case)

    tree = page(client.get(f"/cases/{case.pk}/"))

    summary = tree.find("section", **{"aria-labelledby": "summary-title"})
    assert summary.find("p").text() == "Arrested on election day."
    assert (
        summary.find("span", class_="sources").text()
        == "Source: 2024 UN report (26 August 2024), para. 34"
    )


def test_a_source_names_its_full_title_on_hover(client, charge):
    source = SourceFactory(short_title="2024 UN report", title="Report of the Secretary-General")
    CitationFactory(source=source, subject=charge)

    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    assert tree.find("cite").attrs["title"] == "Report of the Secretary-General"


def test_a_charge_links_its_article_to_the_article_page(client, charge):
    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    row = tree.find("section", **{"aria-labelledby": "charges-title"}).find("tbody").find("tr")
    cells = row.find_all("td")
    assert cells[0].text() == "Sok Chan"
    assert cells[1].text() == "“incitement to disturb social security”"
    link = cells[2].find("a")
    assert link.attrs["href"] == f"/articles/{charge.article.pk}/"
    assert link.text() == "Criminal Code art. 494"
    assert cells[3].text() == "Pending"


def test_a_charge_shows_the_article_as_the_source_cites_it(client):
    charge = ChargeFactory(article__number="437 bis", article_as_cited="437 (bis)")

    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    assert "cited as “437 (bis)”" in tree.find("tbody").text()


def test_it_lists_the_defendants_with_their_khmer_names(client, charge):
    person = charge.defendant
    person.name_km = "សុខ ចាន់"
    person.save()

    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    link = tree.find("ul", class_="people-list").find("a")
    assert link.text() == "Sok Chan (សុខ ចាន់)"
    assert link.attrs["href"] == f"/people/{person.pk}/"
    assert link.find("span").attrs["lang"] == "km"


def test_an_unnamed_defendant_is_described(client):
    charge = ChargeFactory(defendant__name="", defendant__description="one of three activists")

    tree = page(client.get(f"/cases/{charge.case.pk}/"))

    assert tree.find("ul", class_="people-list").find("a").text() == (
        "Unnamed: one of three activists"
    )


def test_it_links_the_case_calendar_when_there_are_hearings(client):
    hearing = HearingFactory()

    tree = page(client.get(f"/cases/{hearing.case.pk}/"))

    assert tree.find("a", href=f"/cases/{hearing.case.pk}/hearings.ics")


def test_a_case_without_dated_events_says_so(client):
    case = CaseFactory()

    (item,) = page(client.get(f"/cases/{case.pk}/")).find("ol", class_="timeline").find_all("li")

    assert item.text() == "No dated event is recorded publicly."


def test_release_on_bail_is_an_event_of_its_own(client, charge):
    CustodyPeriodFactory(
        case=charge.case,
        defendant=charge.defendant,
        kind=CustodyKind.BAIL,
        start=datetime.date(2023, 9, 1),
    )

    events = event_texts(timeline(client, charge.case))

    assert events[-1] == ("1 September 2023", "Sok Chan released on bail")


# Short pages: the same thing happening to several people is said once (issue #18).


@pytest.fixture
def nine_convicted():
    """A case like NagaWorld's: one named defendant and eight unnamed, each convicted the same
    day by the same court, each charged alike under articles 494 and 495."""
    named = ChargeFactory(
        defendant__name="Chhim Sithar",
        article__number="494",
        article__title_en="Incitement",
        label="incitement",
        date_filed=None,
    )
    case = named.case
    source = SourceFactory(short_title="UN report")
    people = [named.defendant]
    for n in range(8):
        charge = ChargeFactory(
            case=case,
            defendant__name="",
            defendant__description=f"union activist {n}",
            article=named.article,
            label="incitement",
            date_filed=None,
        )
        people.append(charge.defendant)
    for person in people:
        ChargeFactory(
            case=case,
            defendant=person,
            article__law=named.article.law,
            article__number="495",
            article__title_en="Incitement",
            label="incitement",
            date_filed=None,
        )
        decision = DecisionFactory(case=case, defendant=person, date=datetime.date(2023, 10, 16))
        CitationFactory(source=source, paragraph="42", subject=decision)
    return case


def test_the_same_decision_for_several_people_is_one_event(client, nine_convicted):
    (event,) = timeline(client, nine_convicted)

    assert event.find("p", class_="event-title").text() == (
        f"Chhim Sithar and 8 others: conviction ({nine_convicted.court})"
    )


def test_a_grouped_event_lists_everyone_it_concerns(client, nine_convicted):
    (event,) = timeline(client, nine_convicted)

    people = event.find("details", class_="people-group")
    assert people.find("summary").text() == "Everyone concerned (9)"
    assert [li.text() for li in people.find_all("li")] == [
        "Chhim Sithar",
        "and 8 unnamed co-defendants",
    ]


def test_different_decisions_on_the_same_day_stay_apart(client, nine_convicted):
    person = nine_convicted.defendants.get(name="Chhim Sithar")
    DecisionFactory(
        case=nine_convicted,
        defendant=person,
        date=datetime.date(2023, 10, 16),
        kind=DecisionKind.BAIL_DENIED,
    )

    assert len(timeline(client, nine_convicted)) == 2


def test_a_grouped_event_cites_each_source_once(client, nine_convicted):
    (event,) = timeline(client, nine_convicted)

    assert event.find("span", class_="sources").text().count("para.") == 1


def test_unnamed_co_defendants_are_counted_not_listed(client, nine_convicted):
    tree = page(client.get(f"/cases/{nine_convicted.pk}/"))

    section = tree.find("section", **{"aria-labelledby": "people-title"})
    named = section.find("ul", class_="people-list").find_all("li")
    assert [li.find("a").text() for li in named] == ["Chhim Sithar"]
    assert section.find("details", class_="unnamed-parties").find("summary").text() == (
        "and 8 unnamed co-defendants"
    )


def test_charges_alike_but_for_the_person_share_a_row(client, nine_convicted):
    tree = page(client.get(f"/cases/{nine_convicted.pk}/"))

    rows = tree.find("section", **{"aria-labelledby": "charges-title"}).find("tbody")
    cells = [row.find_all("td") for row in rows.find_all("tr")]
    assert len(cells) == 2
    assert all(row[0].text().startswith("Chhim Sithar and 8 others") for row in cells)


def test_articles_with_the_same_title_are_told_apart_by_law_and_number(client, nine_convicted):
    tree = page(client.get(f"/cases/{nine_convicted.pk}/"))

    rows = tree.find("section", **{"aria-labelledby": "charges-title"}).find("tbody")
    articles = [row.find_all("td")[2].find("a").text() for row in rows.find_all("tr")]
    assert sorted(articles) == ["Criminal Code art. 494", "Criminal Code art. 495"]
