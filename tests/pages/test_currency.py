"""What the pages say about how current their information is (core/currency.py): the line on
every page, the methodology page, and detention "as last reported"."""

import datetime

import pytest

from core.visibility import Visibility
from tests.factories import CustodyPeriodFactory, DefendantFactory, SourceFactory

from .conftest import TODAY
from .helpers import page

pytestmark = pytest.mark.django_db

START = datetime.date(2023, 7, 4)
CONFIRMED = datetime.date(2024, 3, 31)


@pytest.fixture
def person():
    return DefendantFactory(name="Sok Chan")


def person_page(client, person):
    return page(client.get(f"/people/{person.pk}/"))


def detention_text(client, person):
    return person_page(client, person).find("section", class_="detention").text()


@pytest.mark.parametrize("url", ["/", "/cases/", "/statistics/", "/hearings/", "/methodology/"])
def test_every_page_links_to_the_methodology(client, url):
    html = page(client.get(url))

    assert html.find("a", href="/methodology/") is not None


def test_the_methodology_page_explains_last_reported(client):
    text = page(client.get("/methodology/")).text()

    assert "As last reported" in text or "as last reported" in text
    assert "30 days" in text


def test_the_methodology_page_lists_a_public_source_with_its_period(client):
    SourceFactory(
        short_title="Annual report",
        covers_from=datetime.date(2023, 6, 1),
        covers_until=datetime.date(2024, 5, 31),
    )

    text = page(client.get("/methodology/")).text()

    assert "Annual report" in text and "1 June 2023 to 31 May 2024" in text


def test_the_methodology_page_leaves_out_a_confidential_source(client):
    SourceFactory(short_title="Secret note", visibility=Visibility.MONITORS)

    assert "Secret note" not in page(client.get("/methodology/")).text()


def test_the_currency_line_gives_the_latest_day_a_public_source_covers(client):
    SourceFactory(date=datetime.date(2024, 8, 26), covers_until=datetime.date(2024, 5, 31))

    line = page(client.get("/")).find("p", class_="currency-line").text()

    assert "up to 31 May 2024" in line


def test_the_currency_line_ignores_a_newer_confidential_source(client):
    SourceFactory(date=datetime.date(2024, 5, 1))
    SourceFactory(date=datetime.date(2024, 6, 1), visibility=Visibility.MONITORS)

    line = page(client.get("/")).find("p", class_="currency-line").text()

    assert "up to 1 May 2024" in line


def test_detention_not_confirmed_since_reads_at_least_to_its_last_confirmation(client, person):
    CustodyPeriodFactory(defendant=person, start=START, last_confirmed=CONFIRMED)

    text = detention_text(client, person)

    assert f"At least {(CONFIRMED - START).days} days in detention" in text
    assert "Counted to 31 March 2024" in text
    assert "In detention now" not in text


def test_an_open_period_says_when_it_was_last_reported(client, person):
    CustodyPeriodFactory(defendant=person, start=START, last_confirmed=CONFIRMED)

    text = detention_text(client, person)

    assert "open as last reported, on 31 March 2024" in text


def test_detention_confirmed_recently_reads_now(client, person):
    CustodyPeriodFactory(defendant=person, start=START, last_confirmed=TODAY)

    text = detention_text(client, person)

    assert "In detention now." in text and "At least" not in text


def test_the_home_page_counts_people_last_reported_in_detention_apart(client, person):
    CustodyPeriodFactory(defendant=person, start=START, last_confirmed=CONFIRMED)

    html = page(client.get("/"))
    figures = {
        div.find("dt").text(): div.find("dd").text()
        for div in html.find("dl", class_="figure-grid").find_all("div")
    }

    assert figures["People in detention now, confirmed in the last 30 days"] == "0"
    assert figures["People last reported in detention, not confirmed since"] == "1"
