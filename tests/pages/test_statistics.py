import datetime

import pytest

from fairtrial.models import ChecklistItem
from hearings.models import DecisionKind
from tests.factories import (
    AnswerFactory,
    ChargeFactory,
    CourtFactory,
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
        "Hearings held and decisions per month",
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
        ["Month", "Hearings held and decisions"],
        ["2023-11", "1"],
        ["2023-12", "0"],
        ["2024-01", "0"],
        ["2024-02", "0"],
        ["2024-03", "2"],
        ["2024-04", "0"],
        ["2024-05", "1"],
    ]


def test_events_per_month_leave_out_hearings_not_held(client, records):
    for status in ["scheduled", "postponed", "cancelled"]:
        HearingFactory(date=datetime.date(2024, 4, 9), status=status)

    rows = csv_rows(client.get("/statistics/events-per-month.csv"))

    assert ["2024-04", "0"] in rows


def test_events_per_month_stop_at_today(client, records):
    # A scheduled hearing ahead is on the calendar of upcoming hearings, not in a month's count;
    # nor is a decision dated after today (a typing slip) counted in a month still to come.
    HearingFactory(date=TODAY + datetime.timedelta(days=40), status="scheduled")
    DecisionFactory(date=TODAY + datetime.timedelta(days=70))

    rows = csv_rows(client.get("/statistics/events-per-month.csv"))

    assert rows[-1] == ["2024-05", "1"]


def test_the_months_chart_is_drawn_as_columns(client, records):
    (section,) = [s for s in chart_sections(client) if "per month" in s.find("h2").text()]

    assert section.find("canvas").attrs["data-kind"] == "months"


@pytest.mark.parametrize("prefix", ["", "/km"], ids=["english", "khmer"])
def test_the_csv_starts_with_a_byte_order_mark(client, records, prefix):
    # Without it spreadsheet programs read the file in a legacy encoding and garble Khmer.
    response = client.get(f"{prefix}/statistics/outcomes.csv")

    assert response.content.startswith("\ufeff".encode())
    assert response.content.count("\ufeff".encode()) == 1


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


# Fair-trial rights per court, per article charged and per year (#16, item 4).

TABLE_SLUGS = ["fair-trial-by-court", "fair-trial-by-article", "fair-trial-by-year"]


def indicator_tables(client, path="/statistics/"):
    return page(client.get(path)).find("section", class_="indicator-tables").find_all("table")


def cells(table, part):
    """Rows of a table part (``thead`` or ``tbody``) as cell text, row headings included."""
    return [
        [cell.text() for cell in row.find_all() if cell.tag in ("th", "td")]
        for row in table.find(part).find_all("tr")
    ]


@pytest.fixture
def lawyer():
    return ChecklistItem.objects.get(checklist__number=1, code="lawyer-from-arrest")


@pytest.fixture
def findings(lawyer):
    """Two public hearings in 2024 at one court, in a case charged under article 494, the
    right violated at one of them."""
    court = CourtFactory(name_en="Phnom Penh Municipal Court")
    for finding in ("violated", "respected"):
        hearing = HearingFactory(court=court, date=datetime.date(2024, 3, 5))
        ChargeFactory(case=hearing.case, article__number="494")
        AnswerFactory(hearing=hearing, item=lawyer, finding=finding)


def test_it_shows_a_table_per_court_article_and_year(client, findings):
    headings = [
        h3.text()
        for h3 in page(client.get("/statistics/"))
        .find("section", class_="indicator-tables")
        .find_all("h3")
    ]

    assert headings == [
        "Fair-trial rights by court",
        "Fair-trial rights by article charged",
        "Fair-trial rights by year of the hearing",
    ]


def test_each_cell_gives_the_violations_of_the_hearings_observed(client, findings, lawyer):
    by_court, by_article, by_year = indicator_tables(client)

    assert cells(by_court, "thead") == [["Court", lawyer.text_en]]
    assert cells(by_court, "tbody") == [
        ["Phnom Penh Municipal Court", "violated at 1 of 2 hearings (50%)"]
    ]
    assert cells(by_article, "tbody") == [
        ["Criminal Code art. 494", "violated at 1 of 2 hearings (50%)"]
    ]
    assert cells(by_year, "tbody") == [["2024", "violated at 1 of 2 hearings (50%)"]]


def test_each_table_links_its_csv(client, findings):
    section = page(client.get("/statistics/")).find("section", class_="indicator-tables")

    assert [a.attrs["href"] for a in section.find_all("a")] == [
        f"/statistics/{slug}.csv" for slug in TABLE_SLUGS
    ]


@pytest.mark.parametrize(
    ("slug", "label"),
    [
        ("fair-trial-by-court", ["Court", "Phnom Penh Municipal Court"]),
        ("fair-trial-by-article", ["Article charged", "Criminal Code art. 494"]),
        ("fair-trial-by-year", ["Year", "2024"]),
    ],
)
def test_the_csv_gives_each_value_and_right_with_its_hearings(
    client, findings, lawyer, slug, label
):
    rows = csv_rows(client.get(f"/statistics/{slug}.csv"))

    assert rows == [
        [
            label[0],
            "Right",
            "Hearings observed",
            "Violated or partly respected",
            "Violated (%)",
            "Respected",
            "Respected (%)",
        ],
        [label[1], lawyer.text_en, "2", "1", "50", "1", "50"],
    ]


def test_the_csv_is_a_download_named_for_its_table(client, findings):
    response = client.get("/statistics/fair-trial-by-year.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="fair-trial-by-year.csv"'


def test_a_table_without_data_says_so(client):
    for table in indicator_tables(client):
        assert cells(table, "tbody") == [["No data yet."]]


def test_a_csv_without_data_holds_its_headings_only(client):
    assert len(csv_rows(client.get("/statistics/fair-trial-by-court.csv"))) == 1


def test_findings_above_the_public_level_show_in_no_table(client, findings, lawyer):
    hidden = HearingFactory(court=CourtFactory(name_en="Hidden court"), visibility=2)
    AnswerFactory(hearing=hidden, item=lawyer, finding="violated")
    AnswerFactory(item=lawyer, finding="violated", visibility=2)

    by_court = indicator_tables(client)[0]

    assert cells(by_court, "tbody") == [
        ["Phnom Penh Municipal Court", "violated at 1 of 2 hearings (50%)"]
    ]


def test_a_court_name_a_spreadsheet_would_run_is_neutralised(client, lawyer):
    court = CourtFactory(name_en='=HYPERLINK("http://evil.example","x")')
    AnswerFactory(hearing=HearingFactory(court=court), item=lawyer, finding="violated")

    rows = csv_rows(client.get("/statistics/fair-trial-by-court.csv"))

    assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'


def test_the_tables_are_in_khmer_at_km(client, findings):
    tree = page(client.get("/km/statistics/"))
    section = tree.find("section", class_="indicator-tables")

    assert "Fair-trial rights by court" not in section.text()
