"""The upcoming hearings page and the iCalendar feeds (RFC 5545)."""

import datetime

import pytest

from hearings.models import HearingStatus
from tests.factories import CaseFactory, CourtFactory, HearingFactory

from .conftest import TODAY
from .helpers import body, ics_events, ics_lines, page

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
CALENDARS = ["/hearings.ics", "/cases/{case}/hearings.ics", "/courts/{court}/hearings.ics"]


def calendar_url(template, hearing):
    return template.format(case=hearing.case_id, court=hearing.court_id)


# The page ---------------------------------------------------------------------------------------


def test_the_page_lists_upcoming_hearings_in_date_and_time_order(client):
    HearingFactory(date=TODAY + 2 * DAY, case__title="Third")
    HearingFactory(date=TODAY + DAY, time=datetime.time(14, 0), case__title="Second")
    HearingFactory(date=TODAY + DAY, time=datetime.time(8, 30), case__title="First")
    HearingFactory(date=TODAY - DAY, case__title="Past")
    HearingFactory(date=TODAY + DAY, status=HearingStatus.CANCELLED, case__title="Cancelled")

    items = page(client.get("/hearings/")).find("ol", class_="case-cards").find_all("li")

    assert [li.find("a").text() for li in items] == ["First", "Second", "Third"]
    assert [li.find("time").text() for li in items] == [
        "16 June 2024 08:30",
        "16 June 2024 14:00",
        "17 June 2024",
    ]


def test_the_page_shows_a_hearing_known_to_the_month_without_a_day(client):
    HearingFactory(date=datetime.date(2024, 9, 1), date_precision="month")

    tree = page(client.get("/hearings/"))

    time = tree.find("ol", class_="case-cards").find("time")
    assert (time.text(), time.attrs["datetime"]) == ("September 2024", "2024-09")


def test_each_hearing_links_its_case_and_its_courts_calendar(client):
    hearing = HearingFactory(date=TODAY + DAY)

    links = page(client.get("/hearings/")).find("ol", class_="case-cards").find_all("a")

    assert [a.attrs["href"] for a in links] == [
        f"/cases/{hearing.case_id}/",
        f"/courts/{hearing.court_id}/hearings.ics",
    ]


def test_the_page_links_the_calendar_of_all_hearings(client):
    assert page(client.get("/hearings/")).find("a", href="/hearings.ics")


def test_the_page_says_when_nothing_is_scheduled(client):
    HearingFactory(date=TODAY - DAY)

    items = page(client.get("/hearings/")).find("ol", class_="case-cards").find_all("li")

    assert [li.text() for li in items] == [
        "No upcoming hearing is recorded in the sources the tracker holds."
    ]


# iCalendar --------------------------------------------------------------------------------------


@pytest.fixture
def hearing():
    return HearingFactory(
        date=TODAY + DAY,
        time=datetime.time(9, 0),
        case__title="Case of Sok Chan, Meas Sophal; and others",
        case__court__name_en="Court of Appeal, Phnom Penh",
        outcome="",
    )


@pytest.mark.parametrize("template", CALENDARS)
def test_a_calendar_is_a_valid_vcalendar(client, hearing, template):
    response = client.get(calendar_url(template, hearing))

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    lines = ics_lines(response)
    assert lines[:4] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Cambodia Trial Tracker//Hearings//EN",
        "CALSCALE:GREGORIAN",
    ]
    assert lines[-1] == "END:VCALENDAR"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == 1
    (event,) = ics_events(response)
    assert {"UID", "DTSTAMP", "DTSTART", "SUMMARY"} <= set(event)


@pytest.mark.parametrize("template", CALENDARS)
def test_every_calendar_line_ends_with_crlf(client, hearing, template):
    text = body(client.get(calendar_url(template, hearing)))

    assert text.endswith("\r\n")
    assert text.count("\n") == text.count("\r\n")
    assert "\r" not in text.replace("\r\n", "")


@pytest.mark.parametrize(
    "title",
    [
        "Case of the land activists of Koh Kong province arrested after the eviction " * 3,
        "សំណុំរឿងអ្នកការពារសិទ្ធិមនុស្ស " * 6 + "end",
    ],
    ids=["latin", "khmer"],
)
def test_long_lines_are_folded_to_75_octets_without_splitting_a_character(client, title):
    HearingFactory(date=TODAY + DAY, case__title=title)

    response = client.get("/hearings.ics")

    raw_lines = body(response).split("\r\n")[:-1]
    assert max(len(line.encode()) for line in raw_lines) <= 75
    assert any(line.startswith(" ") for line in raw_lines)  # something was folded
    (event,) = ics_events(response)
    assert event["SUMMARY"] == f"Trial hearing: {title}"


def test_commas_and_semicolons_are_escaped(client, hearing):
    (event,) = ics_events(client.get("/hearings.ics"))

    assert event["SUMMARY"] == "Trial hearing: Case of Sok Chan\\, Meas Sophal\\; and others"
    assert event["LOCATION"] == "Court of Appeal\\, Phnom Penh"


def test_a_newline_in_a_description_is_escaped(client):
    HearingFactory(date=TODAY + DAY, outcome="Adjourned.\nNext date to be set; maybe July")

    (event,) = ics_events(client.get("/hearings.ics"))

    assert event["DESCRIPTION"] == "Adjourned.\\nNext date to be set\\; maybe July"


def test_a_hearing_with_a_time_starts_at_that_time_in_phnom_penh(client, hearing):
    (event,) = ics_events(client.get("/hearings.ics"))

    assert event["DTSTART"] == "20240616T020000Z"  # 09:00 in Phnom Penh (UTC+7)


def test_a_hearing_without_a_time_takes_the_whole_day(client):
    HearingFactory(date=TODAY + DAY)

    (event,) = ics_events(client.get("/hearings.ics"))

    assert event["DTSTART;VALUE=DATE"] == "20240616"
    assert event["DTEND;VALUE=DATE"] == "20240617"


@pytest.mark.parametrize("precision", ["month", "approximate", "year"])
def test_a_hearing_not_known_to_the_day_is_not_put_on_a_day(client, precision):
    HearingFactory(date=datetime.date(2024, 9, 1), date_precision=precision)

    assert ics_events(client.get("/hearings.ics")) == []


def test_each_event_has_a_stable_uid_and_links_its_case(client, hearing):
    (event,) = ics_events(client.get("/hearings.ics"))

    assert event["UID"] == f"hearing-{hearing.pk}@cambodia-trial-tracker"
    assert event["URL"] == f"http://testserver/cases/{hearing.case_id}/"


def test_past_and_cancelled_hearings_are_not_in_the_calendar(client):
    HearingFactory(date=TODAY - DAY)
    HearingFactory(date=TODAY + DAY, status=HearingStatus.CANCELLED)

    assert ics_events(client.get("/hearings.ics")) == []


def test_a_case_calendar_holds_only_that_cases_hearings(client, hearing):
    HearingFactory(date=TODAY + DAY, case=CaseFactory(court=hearing.court))

    events = ics_events(client.get(f"/cases/{hearing.case_id}/hearings.ics"))

    assert [e["UID"] for e in events] == [f"hearing-{hearing.pk}@cambodia-trial-tracker"]


def test_a_court_calendar_holds_only_that_courts_hearings(client, hearing):
    HearingFactory(date=TODAY + DAY, case=hearing.case, court=CourtFactory())

    events = ics_events(client.get(f"/courts/{hearing.court_id}/hearings.ics"))

    assert [e["UID"] for e in events] == [f"hearing-{hearing.pk}@cambodia-trial-tracker"]


def test_an_unknown_court_calendar_answers_404(client):
    assert client.get("/courts/999999/hearings.ics").status_code == 404


@pytest.mark.parametrize("newline", ["\r", "\n", "\r\n"])
def test_no_line_break_in_hearing_text_starts_a_calendar_line(client, newline):
    HearingFactory(
        date=TODAY + DAY, case__title=f"Trial{newline}ATTENDEE:mailto:x@evil.example", outcome=""
    )

    raw = client.get("/hearings.ics").content.decode()

    assert "\nATTENDEE" not in raw.replace("\r\n ", "")
    assert "\rATTENDEE" not in raw
    assert [line for line in raw.split("\r\n") if line.startswith("ATTENDEE")] == []
