"""The case page's timeline and the printable report under /km/ (issue #18, item 1): what
monitors typed in English only (titles, labels, summaries, notes, court names) is marked
"English only", as on the rest of the page; a Khmer value is shown alone."""

import datetime

import pytest

from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
)

from .helpers import page

pytestmark = pytest.mark.django_db


def events(client, case, prefix="/km"):
    tree = page(client.get(f"{prefix}/cases/{case.pk}/"))
    return tree.find("ol", class_="timeline").find_all("li", class_="event")


def english_only(element):
    """The English texts ``element`` marks "English only"."""
    return [marked_text(badge) for badge in element.find_all("span", class_="english-only")]


def marked_text(badge):
    """The English text a badge follows: the element with lang="en" just before it."""
    siblings = badge.parent.children[: badge.parent.children.index(badge)]
    [english, *_rest] = [
        node
        for node in reversed(siblings)
        if not isinstance(node, str) and node.attrs.get("lang") == "en"
    ]
    return english.text()


@pytest.fixture
def court():
    return CourtFactory(name_en="Kampot Provincial Court", name_km="")


def test_a_hearing_event_marks_an_english_only_court_and_outcome(client, court):
    hearing = HearingFactory(case__court=court, outcome="Adjourned to July")

    [event] = events(client, hearing.case)

    assert english_only(event) == ["Kampot Provincial Court", "Adjourned to July"]


def test_a_hearing_event_names_a_court_in_khmer_where_it_has_a_khmer_name(client):
    hearing = HearingFactory(case__court=CourtFactory(name_km="តុលាការខេត្តកំពត"))

    [event] = events(client, hearing.case)

    title = event.find("p", class_="event-title")
    assert title.find("span", lang="km").text() == "តុលាការខេត្តកំពត"
    assert english_only(event) == []


def test_a_decision_event_marks_an_english_only_court_and_summary(client, court):
    decision = DecisionFactory(case__court=court, summary="Sentenced in absentia")

    [event] = events(client, decision.case)

    assert english_only(event) == ["Kampot Provincial Court", "Sentenced in absentia"]


def test_a_charge_event_marks_its_english_only_label(client):
    charge = ChargeFactory(label="incitement", date_filed=datetime.date(2023, 7, 23))

    [event] = events(client, charge.case)

    assert english_only(event) == ["incitement"]


def test_a_custody_event_marks_its_english_only_note(client):
    link = CaseDefendantFactory(defendant__name="Sok Chan")
    CustodyPeriodFactory(case=link.case, defendant=link.defendant, note="Held in Prey Sar")

    [event] = events(client, link.case)

    assert english_only(event) == ["Held in Prey Sar"]


def test_typed_text_in_the_timeline_is_escaped(client):
    hearing = HearingFactory(outcome="<b>adjourned</b>")

    response = client.get(f"/km/cases/{hearing.case.pk}/")

    assert b"&lt;b&gt;adjourned&lt;/b&gt;" in response.content


def test_the_english_timeline_marks_nothing(client, court):
    hearing = HearingFactory(case__court=court, outcome="Adjourned to July")

    [event] = events(client, hearing.case, prefix="")

    assert english_only(event) == []
    assert "Kampot Provincial Court" in event.find("p", class_="event-title").text()


# The printable report.


def report(client, case, prefix="/km"):
    return page(client.get(f"{prefix}/cases/{case.pk}/report/")).find("article")


def test_the_khmer_report_marks_an_english_only_title_court_and_summary(client, court):
    case = CaseFactory(title="Land dispute", summary="Evicted in Koh Kong", court=court)

    marked = english_only(report(client, case))

    assert marked[:2] == ["Land dispute", "Kampot Provincial Court"]
    assert "Evicted in Koh Kong" in marked


def test_the_khmer_report_shows_a_khmer_title_and_summary_alone(client):
    case = CaseFactory(
        title="Land dispute",
        title_km="វិវាទដីធ្លី",
        summary="Evicted in Koh Kong",
        summary_km="ការបណ្តេញចេញនៅកោះកុង",
    )

    text = report(client, case).text()

    assert "វិវាទដីធ្លី" in text and "ការបណ្តេញចេញនៅកោះកុង" in text
    assert "Land dispute" not in text and "Evicted in Koh Kong" not in text


def test_the_khmer_report_marks_an_english_only_charge_and_article_title(client):
    charge = ChargeFactory(label="incitement", article__title_en="Incitement to commit a felony")

    table = report(client, charge.case).find("table")

    assert english_only(table) == ["incitement", "Incitement to commit a felony"]


def test_the_khmer_report_marks_an_english_only_court_of_an_observed_hearing(client, court):
    hearing = HearingFactory(court=court, monitored=True)

    table = report(client, hearing.case).find("section", **{"aria-labelledby": "hearings-title"})

    assert english_only(table) == ["Kampot Provincial Court"]


def test_the_english_report_marks_nothing(client, court):
    case = CaseFactory(title="Land dispute", summary="Evicted in Koh Kong", court=court)

    assert english_only(report(client, case, prefix="")) == []
