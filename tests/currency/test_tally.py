"""Days in detention count to the last confirmation, and "now" needs a current one
(core/currency.py, defendants/detention.py)."""

import datetime

import pytest

from defendants.models import CustodyKind, CustodyPeriod
from tests.factories import CustodyPeriodFactory, DefendantFactory

pytestmark = pytest.mark.django_db

D = datetime.date
START = D(2023, 7, 4)
CONFIRMED = D(2024, 5, 31)
LATER = D(2026, 12, 5)


@pytest.fixture
def person():
    return DefendantFactory()


def hold(person, **kwargs):
    kwargs.setdefault("kind", CustodyKind.PRETRIAL_DETENTION)
    kwargs.setdefault("last_confirmed", CONFIRMED)
    return CustodyPeriodFactory(defendant=person, start=START, **kwargs)


def test_an_open_period_counts_only_to_its_last_confirmation(person):
    hold(person)

    tally = person.detention(as_of=LATER)

    assert (tally.days, tally.counted_to) == ((CONFIRMED - START).days, CONFIRMED)


def test_an_open_period_confirmed_long_ago_is_as_last_reported_not_now(person):
    hold(person)

    tally = person.detention(as_of=LATER)

    assert (tally.as_last_reported, tally.in_detention) == (True, False)


def test_a_confirmation_within_the_window_makes_it_now(person, settings):
    settings.CURRENCY_WINDOW_DAYS = 30
    hold(person)

    tally = person.detention(as_of=CONFIRMED + datetime.timedelta(days=30))

    assert tally.in_detention is True


def test_a_confirmation_one_day_older_than_the_window_is_not_now(person, settings):
    settings.CURRENCY_WINDOW_DAYS = 30
    hold(person)

    tally = person.detention(as_of=CONFIRMED + datetime.timedelta(days=31))

    assert tally.in_detention is False


def test_an_open_period_no_source_confirms_counts_to_its_start(person):
    hold(person, last_confirmed=None)

    tally = person.detention(as_of=LATER)

    assert (tally.days, tally.counted_to, tally.in_detention) == (0, START, False)


def test_a_date_asked_before_the_confirmation_counts_to_that_date(person):
    hold(person)

    tally = person.detention(as_of=D(2024, 1, 4))

    assert (tally.days, tally.as_last_reported, tally.in_detention) == (184, False, True)


def test_an_arrest_is_not_a_day_in_detention(person):
    hold(person, kind=CustodyKind.ARREST)

    tally = person.detention(as_of=LATER)

    assert (tally.days, tally.in_detention) == (0, False)


def test_running_on_leaves_out_an_open_period_not_confirmed_recently(person):
    hold(person)

    assert not CustodyPeriod.objects.running_on(LATER).exists()


def test_running_on_keeps_an_open_period_confirmed_recently(person):
    hold(person, last_confirmed=LATER - datetime.timedelta(days=3))

    assert CustodyPeriod.objects.running_on(LATER).count() == 1


def test_open_as_last_reported_lists_the_period_no_current_source_confirms(person):
    period = hold(person)

    assert list(CustodyPeriod.objects.open_as_last_reported(LATER)) == [period]
