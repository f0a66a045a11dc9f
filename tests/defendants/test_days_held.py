"""Days in detention counted by the database (defendants/detention.py ``days_held``) agree with
the Python tally (``tally_detention``) for every person, at every visibility level, on random
periods of every precision, open and closed, overlapping or not, and after random edits."""

import datetime
import random
from collections import Counter

import pytest

from core.dates import DatePrecision, PartialDate
from core.visibility import Visibility
from defendants.detention import days_held, people_by_days_held, tally_detention
from defendants.models import CustodyKind, CustodyPeriod
from tests.factories import CaseFactory, CustodyPeriodFactory, DefendantFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2024, 6, 15)
LIMITS = [30, 182, 365, 730, None]


def python_days(periods, as_of):
    """The reference: each person's periods through ``tally_detention``."""
    by_person = {}
    for period in periods:
        by_person.setdefault(period.defendant_id, []).append(period)
    return {
        person: tally_detention(held, as_of).days
        for person, held in by_person.items()
        if any(period.is_detention for period in held)
    }


def random_period(rng, person, case):
    start = D(2021, 1, 1) + datetime.timedelta(days=rng.randrange(4 * 365))
    start_precision = rng.choice(list(DatePrecision.values))
    start = PartialDate(start, start_precision).date
    end = end_precision = None
    if rng.random() < 0.6:
        end_precision = rng.choice(list(DatePrecision.values))
        end = PartialDate(start + datetime.timedelta(days=rng.randrange(1, 500)), end_precision)
        end = end.date if end.latest >= start else None
    confirmed = rng.choice(
        [None, start, start + datetime.timedelta(days=rng.randrange(900)), AS_OF]
    )
    return CustodyPeriodFactory(
        defendant=person,
        case=case,
        kind=rng.choice(list(CustodyKind.values)),
        start=start,
        start_precision=start_precision,
        end=end,
        end_precision=end_precision or DatePrecision.DAY,
        last_confirmed=confirmed,
        visibility=rng.choice(list(Visibility.values)),
    )


def random_records(seed, people=8):
    rng = random.Random(seed)
    cases = [CaseFactory(visibility=rng.choice(list(Visibility.values))) for _ in range(3)]
    for _ in range(people):
        person = DefendantFactory(visibility=rng.choice(list(Visibility.values)))
        for _ in range(rng.randrange(1, 5)):
            random_period(rng, person, rng.choice(cases))
    return rng


def assert_agrees(level, as_of=AS_OF):
    periods = CustodyPeriod.objects.visible_to(level)
    expected = python_days(periods, as_of)

    assert days_held(periods, as_of) == expected
    buckets = Counter(
        next(i for i, limit in enumerate(LIMITS) if limit is None or days < limit)
        for days in expected.values()
    )
    assert people_by_days_held(periods, as_of, LIMITS) == [
        buckets.get(i, 0) for i in range(len(LIMITS))
    ]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("level", list(Visibility))
def test_the_database_counts_the_days_the_tally_counts(seed, level):
    random_records(seed)

    assert_agrees(level)


@pytest.mark.parametrize("seed", [4, 5])
def test_the_counts_still_agree_after_random_edits(seed):
    rng = random_records(seed)
    periods = list(CustodyPeriod.objects.all())
    for period in rng.sample(periods, k=len(periods) // 2):
        action = rng.choice(["close", "reopen", "confirm", "hide", "delete"])
        if action == "close" and period.end is None:
            period.end = period.start + datetime.timedelta(days=rng.randrange(1, 300))
            period.end_precision = DatePrecision.DAY
        elif action == "reopen":
            period.end = None
        elif action == "confirm":
            period.last_confirmed = AS_OF - datetime.timedelta(days=rng.randrange(400))
        elif action == "hide":
            period.visibility = Visibility.MONITORS
        elif action == "delete":
            period.delete()
            continue
        period.save()

    for level in Visibility:
        assert_agrees(level)


@pytest.mark.parametrize("as_of", [D(2020, 1, 1), D(2022, 7, 1), D(2026, 1, 1)])
def test_the_counts_agree_on_any_day_asked_about(as_of):
    random_records(6)

    assert_agrees(Visibility.MONITORS, as_of)


def test_a_month_end_counts_to_the_last_day_of_that_month():
    person = DefendantFactory()
    CustodyPeriodFactory(
        defendant=person,
        start=D(2024, 2, 10),
        end=D(2024, 2, 1),
        end_precision=DatePrecision.MONTH,
    )

    # Released some time in February 2024 (a leap year): counted to its last possible day.
    assert days_held(CustodyPeriod.objects.all(), AS_OF) == {person.pk: 19}


def test_someone_whose_detention_has_not_started_counts_with_no_day():
    later = CustodyPeriodFactory(start=D(2025, 1, 1))

    assert days_held(CustodyPeriod.objects.all(), AS_OF) == {later.defendant_id: 0}


def test_someone_never_detained_is_not_counted():
    CustodyPeriodFactory(kind=CustodyKind.BAIL, start=D(2024, 1, 1))

    assert people_by_days_held(CustodyPeriod.objects.all(), AS_OF, LIMITS) == [0] * 5


def test_periods_that_can_match_nothing_count_nobody():
    CustodyPeriodFactory(start=D(2024, 1, 1))
    nothing = CustodyPeriod.objects.filter(pk__in=[])

    assert (days_held(nothing, AS_OF), people_by_days_held(nothing, AS_OF, LIMITS)) == (
        {},
        [0] * 5,
    )
