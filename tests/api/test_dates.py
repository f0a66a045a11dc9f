"""Dates carry their precision, both ways: "March 2024" is never read or written as a day."""

import datetime

import pytest

from core.dates import DatePrecision
from hearings.models import Hearing
from tests.factories import (
    API_OBSERVATION,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date


def post_hearing(client, case, date):
    return client.post(
        "/api/v1/hearings/",
        {"case": case.pk, "date": date, "kind": "trial", "citations": API_OBSERVATION},
        format="json",
    )


@pytest.mark.parametrize(
    ("stored", "precision", "shown"),
    [
        (D(2024, 3, 1), DatePrecision.MONTH, "2024-03"),
        (D(2024, 1, 1), DatePrecision.YEAR, "2024"),
        (D(2023, 7, 1), DatePrecision.APPROXIMATE, "2023-07"),
        (D(2024, 3, 7), DatePrecision.DAY, "2024-03-07"),
    ],
)
def test_a_hearing_date_is_shown_at_its_precision(anonymous_api, stored, precision, shown):
    hearing = HearingFactory(date=stored, date_precision=precision)

    body = anonymous_api.get(f"/api/v1/hearings/{hearing.pk}/").json()

    assert (body["date"], body["date_precision"]) == (shown, precision)


def test_a_charge_filing_date_is_shown_at_its_precision(anonymous_api):
    charge = ChargeFactory(date_filed=D(2023, 10, 1), date_filed_precision=DatePrecision.MONTH)

    body = anonymous_api.get(f"/api/v1/charges/{charge.pk}/").json()

    assert (body["date_filed"], body["date_filed_precision"]) == ("2023-10", "month")


def test_custody_start_and_end_are_shown_at_their_own_precisions(anonymous_api):
    period = CustodyPeriodFactory(
        start=D(2023, 1, 1),
        start_precision=DatePrecision.YEAR,
        end=D(2024, 2, 7),
        end_precision=DatePrecision.DAY,
    )

    body = anonymous_api.get(f"/api/v1/custody-periods/{period.pk}/").json()

    assert (body["start"], body["start_precision"]) == ("2023", "year")
    assert (body["end"], body["end_precision"]) == ("2024-02-07", "day")


def test_a_month_is_written_as_yyyy_mm_and_stored_at_month_precision(monitor_api):
    response = post_hearing(monitor_api, CaseFactory(), "2024-03")

    assert response.status_code == 201, response.content
    hearing = Hearing.objects.get()
    assert (hearing.date, hearing.date_precision) == (D(2024, 3, 1), DatePrecision.MONTH)
    assert (response.json()["date"], response.json()["date_precision"]) == ("2024-03", "month")


def test_a_tilde_marks_an_approximate_month(monitor_api):
    response = post_hearing(monitor_api, CaseFactory(), "~2023-07")

    assert response.status_code == 201, response.content
    hearing = Hearing.objects.get()
    assert (hearing.date, hearing.date_precision) == (D(2023, 7, 1), DatePrecision.APPROXIMATE)


def test_a_year_alone_is_stored_at_year_precision(monitor_api):
    post_hearing(monitor_api, CaseFactory(), "2022")

    hearing = Hearing.objects.get()
    assert (hearing.date, hearing.date_precision) == (D(2022, 1, 1), DatePrecision.YEAR)


@pytest.mark.parametrize("date", ["2024-02-30", "2024-13", "March 2024", "~2024-03-07", 20240301])
def test_an_impossible_or_malformed_date_is_a_400_on_date(monitor_api, date):
    response = post_hearing(monitor_api, CaseFactory(), date)

    assert response.status_code == 400
    assert list(response.json()) == ["date"]
    assert not Hearing.objects.exists()


def test_the_message_for_an_impossible_date_quotes_it(monitor_api):
    response = post_hearing(monitor_api, CaseFactory(), "2024-02-30")

    assert "2024-02-30" in response.json()["date"][0]


def test_an_unknown_date_has_no_precision(anonymous_api):
    charge = ChargeFactory(date_filed=None)

    body = anonymous_api.get(f"/api/v1/charges/{charge.pk}/").json()

    assert (body["date_filed"], body["date_filed_precision"]) == (None, None)


def test_an_open_custody_period_has_no_end_precision(anonymous_api):
    period = CustodyPeriodFactory(end=None)

    body = anonymous_api.get(f"/api/v1/custody-periods/{period.pk}/").json()

    assert (body["end"], body["end_precision"]) == (None, None)


def test_a_case_list_charge_with_no_filing_date_has_no_precision(anonymous_api):
    charge = ChargeFactory(date_filed=None)

    body = anonymous_api.get("/api/v1/cases/").json()

    [listed] = [c for case in body["results"] for c in case["charges"] if c["id"] == charge.pk]
    assert listed["date_filed_precision"] is None


def test_json_timestamps_are_utc_with_z(anonymous_api):
    charge = ChargeFactory()

    body = anonymous_api.get(f"/api/v1/charges/{charge.pk}/").json()

    assert body["updated_at"].endswith("Z")
    assert datetime.datetime.fromisoformat(body["updated_at"]) == charge.updated_at


def test_the_case_list_writes_timestamps_in_utc_with_z(anonymous_api):
    case = CaseFactory()

    [listed] = anonymous_api.get("/api/v1/cases/").json()["results"]

    assert listed["updated_at"].endswith("Z")
    assert datetime.datetime.fromisoformat(listed["updated_at"]) == case.updated_at


def test_tombstones_server_time_is_utc_with_z(anonymous_api):
    body = anonymous_api.get("/api/v1/tombstones/?since=2024-01-01T00:00:00Z").json()

    assert body["server_time"].endswith("Z")


def test_csv_timestamps_are_written_as_json_writes_them(anonymous_api):
    import csv
    import io

    charge = ChargeFactory()
    response = anonymous_api.get("/api/v1/export/charges.csv")
    [row] = csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))

    json_time = anonymous_api.get(f"/api/v1/charges/{charge.pk}/").json()["updated_at"]
    assert row["updated_at"] == json_time
