import datetime

import pytest

from defendants.models import CustodyKind
from hearings.models import HearingStatus
from tests.factories import (
    CaseDefendantFactory,
    CaseFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
    ReportedFigureFactory,
    SourceFactory,
)

from .conftest import TODAY
from .helpers import page

pytestmark = pytest.mark.django_db

DETAINED_NOW = "People in detention now, confirmed in the last 30 days"

DAY = datetime.timedelta(days=1)


def figures(client):
    tree = page(client.get("/"))
    grid = tree.find("dl", class_="figure-grid")
    return {div.find("dt").text(): div.find("dd").text() for div in grid.find_all("div")}


def section(tree, heading_id):
    return tree.find("h2", id=heading_id).parent


def test_it_counts_the_people_in_detention_today(client):
    CustodyPeriodFactory(start=TODAY - 90 * DAY)
    CustodyPeriodFactory(start=TODAY - 90 * DAY, kind=CustodyKind.IMPRISONMENT)
    CustodyPeriodFactory(start=TODAY - 90 * DAY, end=TODAY - DAY)  # released
    CustodyPeriodFactory(start=TODAY - 90 * DAY, kind=CustodyKind.BAIL)
    CustodyPeriodFactory(start=TODAY + DAY)  # not yet

    assert figures(client)[DETAINED_NOW] == "2"


def test_it_counts_the_cases_tracked(client):
    CaseFactory.create_batch(3)

    assert figures(client)["Cases tracked"] == "3"


def test_it_counts_monitored_hearings(client):
    HearingFactory.create_batch(2, monitored=True)
    HearingFactory(monitored=False)

    assert figures(client)["Hearings monitored by the tracker's monitors"] == "2"


def test_it_counts_decisions_of_the_last_twelve_months(client):
    DecisionFactory(date=TODAY - 10 * DAY)
    DecisionFactory(date=TODAY - 364 * DAY)
    DecisionFactory(date=TODAY - 366 * DAY)
    DecisionFactory(date=TODAY + DAY)

    assert figures(client)["Decisions recorded for the last 12 months"] == "2"


def test_it_shows_cases_by_status(client):
    CaseFactory.create_batch(2, status="pretrial")
    CaseFactory(status="appeal")

    tree = page(client.get("/"))

    statuses = tree.find("ul", class_="status-list").find_all("li")
    assert [li.text() for li in statuses] == ["Awaiting trial 2", "On appeal 1"]


def test_it_lists_the_six_most_recently_updated_cases(client, time_machine):
    cases = CaseFactory.create_batch(7)
    for case in reversed(cases):  # the first case is updated last, a minute after the one before
        time_machine.shift(60)  # the clock is stopped in these tests (conftest.py)
        case.summary = "Updated."
        case.save()

    tree = page(client.get("/"))

    listed = [a.text() for a in section(tree, "recent-title").find("ul").find_all("a")]
    assert listed == [case.title for case in cases[:6]]


def test_it_lists_upcoming_hearings_in_date_order(client):
    later = HearingFactory(date=TODAY + 20 * DAY, case__title="Later case")
    sooner = HearingFactory(date=TODAY, status=HearingStatus.SCHEDULED, case__title="Sooner case")
    HearingFactory(date=TODAY - DAY, case__title="Past case")
    HearingFactory(date=TODAY + DAY, status=HearingStatus.CANCELLED, case__title="Cancelled case")

    tree = page(client.get("/"))

    items = section(tree, "upcoming-title").find("ul").find_all("li")
    assert [li.find("a").text() for li in items] == [sooner.case.title, later.case.title]
    assert [li.find("time").text() for li in items] == ["15 June 2024", "5 July 2024"]


def test_it_shows_an_upcoming_hearing_known_to_the_month_without_a_day(client):
    HearingFactory(date=datetime.date(2024, 9, 1), date_precision="month")

    tree = page(client.get("/"))

    assert section(tree, "upcoming-title").find("time").text() == "September 2024"


def test_upcoming_hearings_link_to_their_case(client):
    hearing = HearingFactory(date=TODAY + DAY)

    tree = page(client.get("/"))

    link = section(tree, "upcoming-title").find("ul").find("a")
    assert link.attrs["href"] == f"/cases/{hearing.case.pk}/"


def test_it_shows_reported_figures_with_their_source(client):
    source = SourceFactory(short_title="2024 UN report")
    ReportedFigureFactory(
        source=source,
        paragraph="41",
        value=96,
        label="hearings monitored",
        is_minimum=True,
        period_start=datetime.date(2023, 6, 1),
        period_end=datetime.date(2024, 5, 31),
    )

    tree = page(client.get("/"))

    assert tree.find("ul", class_="reported").text() == (
        "at least 96 hearings monitored (1 June 2023 – 31 May 2024) "
        "Source: 2024 UN report (26 August 2024), para. 41"
    )


def test_a_person_in_two_cases_is_one_person_detained(client):
    person_link = CaseDefendantFactory()
    other_case = CaseFactory()
    CaseDefendantFactory(case=other_case, defendant=person_link.defendant)
    for case in (person_link.case, other_case):
        CustodyPeriodFactory(case=case, defendant=person_link.defendant, start=TODAY - DAY)

    assert figures(client)[DETAINED_NOW] == "1"


def test_an_approximate_upcoming_hearing_has_a_valid_machine_readable_date(client):
    HearingFactory(date=datetime.date(2024, 9, 1), date_precision="approximate")

    time = section(page(client.get("/")), "upcoming-title").find("time")

    assert (time.text(), time.attrs["datetime"]) == ("c. September 2024", "2024-09")
