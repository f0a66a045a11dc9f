import datetime

import pytest

from core.dates import DatePrecision
from defendants.models import CustodyKind
from tests.factories import CaseFactory, CustodyPeriodFactory, DefendantFactory

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def person():
    return DefendantFactory()


def hold(person, start, end=None, kind=CustodyKind.PRETRIAL_DETENTION, **kwargs):
    return CustodyPeriodFactory(defendant=person, start=start, end=end, kind=kind, **kwargs)


def test_a_running_detention_counts_up_to_the_date_asked(person):
    hold(person, D(2024, 1, 5))

    tally = person.detention(as_of=D(2024, 2, 5))

    assert (tally.days, tally.in_detention, tally.exact) == (31, True, True)


def test_the_release_day_is_not_a_day_in_detention(person):
    hold(person, D(2024, 1, 1), D(2024, 1, 11))

    tally = person.detention(as_of=D(2024, 6, 1))

    assert (tally.days, tally.in_detention) == (10, False)


def test_periods_before_and_after_bail_add_up(person):
    hold(person, D(2023, 1, 1), D(2023, 1, 31))
    hold(person, D(2023, 1, 31), D(2023, 3, 1), kind=CustodyKind.BAIL)
    hold(person, D(2023, 3, 1), kind=CustodyKind.IMPRISONMENT)

    assert person.detention(as_of=D(2023, 3, 11)).days == 30 + 10


def test_days_held_under_two_cases_at_once_count_once(person):
    hold(person, D(2023, 1, 1), D(2023, 3, 1), case=CaseFactory())
    hold(person, D(2023, 2, 1), D(2023, 4, 1), case=CaseFactory())

    assert person.detention(as_of=D(2024, 1, 1)).days == (D(2023, 4, 1) - D(2023, 1, 1)).days


def test_house_arrest_is_not_counted_as_detention(person):
    hold(person, D(2023, 3, 1), kind=CustodyKind.HOUSE_ARREST)

    tally = person.detention(as_of=D(2024, 3, 1))

    assert (tally.days, tally.in_detention) == (0, False)


def test_a_period_that_starts_after_the_date_asked_is_ignored(person):
    hold(person, D(2024, 5, 1))

    assert person.detention(as_of=D(2024, 4, 1)).days == 0


def test_a_period_is_cut_at_the_date_asked(person):
    hold(person, D(2024, 1, 1), D(2024, 12, 31))

    tally = person.detention(as_of=D(2024, 1, 21))

    assert (tally.days, tally.in_detention) == (20, True)


def test_a_month_precision_start_makes_the_tally_inexact(person):
    hold(person, D(2023, 1, 1), start_precision=DatePrecision.MONTH)

    assert person.detention(as_of=D(2023, 2, 1)).exact is False


def test_nobody_held_has_zero_days(person):
    tally = person.detention(as_of=D(2024, 1, 1))

    assert (tally.days, tally.in_detention, tally.exact) == (0, False, True)
