import datetime

import pytest

from hearings.models import DecisionKind
from tests.factories import (
    AnswerFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    HearingFactory,
)

from .conftest import TODAY
from .helpers import csv_rows, page, table_rows

pytestmark = pytest.mark.django_db

SLUGS = [
    "cases-per-article",
    "outcomes",
    "detention-durations",
    "events-per-month",
    "fair-trial-violations",
]


@pytest.fixture
def records():
    """Something for each chart to count."""
    for number in ["494", "494", "495"]:
        charge = ChargeFactory(article__number=number)
    DecisionFactory(case=charge.case, defendant=charge.defendant, kind=DecisionKind.CONVICTION)
    DecisionFactory(kind=DecisionKind.BAIL_DENIED, date=datetime.date(2024, 3, 20))
    observed = HearingFactory(date=datetime.date(2024, 3, 5))
    HearingFactory(date=datetime.date(2023, 11, 1), date_precision="month")
    HearingFactory(date=datetime.date(2022, 1, 1), date_precision="year")
    CustodyPeriodFactory(start=TODAY - datetime.timedelta(days=10))
    CustodyPeriodFactory(start=datetime.date(2021, 1, 1), end=datetime.date(2023, 6, 1))
    CustodyPeriodFactory(start=datetime.date(2023, 1, 1), end=datetime.date(2023, 4, 1))
    AnswerFactory(hearing=observed, finding="violated")


def chart_sections(client):
    return page(client.get("/statistics/")).find_all("section", class_="chart")


def test_it_shows_five_charts(client, records):
    titles = [section.find("h2").text() for section in chart_sections(client)]

    assert titles == [
        "Cases per article charged",
        "Decisions by outcome",
        "People by time spent in detention",
        "Hearings and decisions per month",
        "Fair-trial rights violated at monitored hearings",
    ]


def test_each_chart_has_a_canvas_fed_by_its_data(client, records):
    tree = page(client.get("/statistics/"))

    for section in tree.find_all("section", class_="chart"):
        canvas = section.find("canvas")
        assert canvas.attrs["role"] == "img"
        assert section.find("script", id=canvas.attrs["data-chart"]).attrs["type"] == (
            "application/json"
        )


def test_each_chart_has_a_data_table(client, records):
    for section in chart_sections(client):
        table = section.find("table")
        # A label and a value; and for a share, the number it rests on.
        assert len(table.find("thead").find_all("th")) in (2, 3)
        assert table_rows(table)


def test_each_chart_links_its_csv(client, records):
    links = [section.find("a").attrs["href"] for section in chart_sections(client)]

    assert links == [f"/statistics/{slug}.csv" for slug in SLUGS]


@pytest.mark.parametrize("index", range(len(SLUGS)), ids=SLUGS)
def test_the_csv_holds_the_rows_of_the_data_table(client, records, index):
    table = chart_sections(client)[index].find("table")
    headings = [th.text() for th in table.find("thead").find_all("th")]

    rows = csv_rows(client.get(f"/statistics/{SLUGS[index]}.csv"))

    assert rows == [headings, *table_rows(table)]


def test_cases_per_article_counts_cases(client, records):
    rows = csv_rows(client.get("/statistics/cases-per-article.csv"))

    assert rows == [
        ["Article", "Cases"],
        ["Criminal Code art. 494", "2"],
        ["Criminal Code art. 495", "1"],
    ]


def test_outcomes_count_decisions_by_kind(client, records):
    rows = csv_rows(client.get("/statistics/outcomes.csv"))

    assert rows == [["Decision", "Decisions"], ["conviction", "1"], ["bail denied", "1"]]


def test_detention_durations_put_each_person_in_one_bucket(client, records):
    rows = csv_rows(client.get("/statistics/detention-durations.csv"))

    assert rows == [
        ["Time in detention", "People"],
        ["under 1 month", "1"],
        ["1 to 6 months", "1"],
        ["6 to 12 months", "0"],
        ["1 to 2 years", "0"],
        ["over 2 years", "1"],
    ]


def test_events_per_month_leave_out_dates_known_only_to_the_year(client, records):
    rows = csv_rows(client.get("/statistics/events-per-month.csv"))

    assert ["2022-01", "1"] not in rows
    assert rows[1] == ["2023-11", "1"]


def test_events_per_month_count_every_month_from_the_first_to_the_last(client, records):
    # A month without a hearing or decision is a zero, not a gap the line would jump over.
    rows = csv_rows(client.get("/statistics/events-per-month.csv"))

    assert rows == [
        ["Month", "Events"],
        ["2023-11", "1"],
        ["2023-12", "0"],
        ["2024-01", "0"],
        ["2024-02", "0"],
        ["2024-03", "2"],
        ["2024-04", "0"],
        ["2024-05", "1"],
    ]


def test_the_csv_is_a_download(client, records):
    response = client.get("/statistics/outcomes.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="outcomes.csv"'


def test_an_unknown_chart_answers_404(client):
    assert client.get("/statistics/secrets.csv").status_code == 404


def test_a_chart_without_data_says_so(client):
    (section,) = [s for s in chart_sections(client) if "outcome" in s.find("h2").text()]

    assert table_rows(section.find("table")) == [["No data yet."]]


def test_a_csv_cell_a_spreadsheet_would_run_is_neutralised(client):
    ChargeFactory(
        article__number="494",
        article__law__title_en="Hostile law",
        article__law__short_name='=HYPERLINK("http://evil.example","x")',
    )

    rows = csv_rows(client.get("/statistics/cases-per-article.csv"))

    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x") art. 494'
