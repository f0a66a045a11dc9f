import datetime

import pytest
from django.core.exceptions import ValidationError

from core.dates import DatePrecision, PartialDate


def test_a_month_is_shown_without_a_day():
    assert str(PartialDate(datetime.date(2024, 3, 1), DatePrecision.MONTH)) == "March 2024"


def test_a_day_is_shown_in_full():
    assert str(PartialDate(datetime.date(2024, 2, 7), DatePrecision.DAY)) == "7 February 2024"


def test_a_year_is_shown_alone():
    assert str(PartialDate(datetime.date(2021, 1, 1), DatePrecision.YEAR)) == "2021"


def test_an_approximate_date_is_shown_as_circa_month():
    assert str(PartialDate(datetime.date(2023, 7, 1), DatePrecision.APPROXIMATE)) == "c. July 2023"


def test_a_month_drops_the_day_it_was_given():
    value = PartialDate(datetime.date(2024, 3, 17), DatePrecision.MONTH)

    assert value.date == datetime.date(2024, 3, 1)
    assert value.isoformat() == "2024-03"


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("2024-03-07", datetime.date(2024, 3, 7), DatePrecision.DAY),
        ("2024-03", datetime.date(2024, 3, 1), DatePrecision.MONTH),
        ("2021", datetime.date(2021, 1, 1), DatePrecision.YEAR),
        ("~2023-07", datetime.date(2023, 7, 1), DatePrecision.APPROXIMATE),
    ],
)
def test_it_parses_each_precision(text, date, precision):
    assert PartialDate.parse(text) == PartialDate(date, precision)


@pytest.mark.parametrize("text", ["2024-03-07", "2024-03", "2021", "~2023-07"])
def test_isoformat_round_trips(text):
    assert PartialDate.parse(text).isoformat() == text


@pytest.mark.parametrize("text", ["March 2024", "2024/03/07", "24-03-07", "", "2024-3"])
def test_it_rejects_text_that_is_not_a_date(text):
    with pytest.raises(ValidationError, match="is not a date"):
        PartialDate.parse(text)


def test_it_rejects_an_impossible_day():
    with pytest.raises(ValidationError, match="is not a real date"):
        PartialDate.parse("2024-02-30")


def test_it_rejects_an_approximate_day():
    with pytest.raises(ValidationError, match="approximate date is written as"):
        PartialDate.parse("~2023-07-16")


def test_a_month_spans_the_whole_month():
    value = PartialDate.parse("2024-02")

    assert (value.earliest, value.latest) == (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))


def test_a_year_spans_the_whole_year():
    value = PartialDate.parse("2021")

    assert (value.earliest, value.latest) == (
        datetime.date(2021, 1, 1),
        datetime.date(2021, 12, 31),
    )
