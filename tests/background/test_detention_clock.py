"""The pretrial-detention clock: days held, the offence class the most serious pending charge
gives, and the legal limit under the default rules (Code of Criminal Procedure arts. 208-209):
a misdemeanour 4 months, extendable once by 2, never more than half the minimum sentence; a
felony 6 months, extendable by 6 at a time up to 18. The limit day is the last lawful day:
the warning starts 14 days before it and "exceeded" the day after, by the Phnom Penh calendar.
"""

import datetime
import zoneinfo

import pytest
import time_machine

from cases.models import ChargeStatus, OffenceClass
from defendants.clock import add_months, pretrial_clock
from defendants.models import DetentionAlert
from defendants.tasks import check_detention_limits
from hearings.models import DecisionKind
from tests.factories import (
    ArticleFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
)

pytestmark = pytest.mark.django_db

PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")
START = datetime.date(2024, 1, 10)
FELONY, MISDEMEANOUR = OffenceClass.FELONY, OffenceClass.MISDEMEANOUR


def detained(offence_class, minimum=None, *, start=START, status=ChargeStatus.PENDING):
    """A person held before trial since ``start`` on one charge of ``offence_class`` whose
    article carries a minimum prison term of ``minimum`` months."""
    charge = ChargeFactory(
        article=ArticleFactory(offence_class=offence_class, penalty_min_months=minimum),
        status=status,
    )
    return CustodyPeriodFactory(defendant=charge.defendant, case=charge.case, start=start)


def also_charged(period, offence_class, minimum=None, status=ChargeStatus.PENDING):
    return ChargeFactory(
        case=period.case,
        defendant=period.defendant,
        article=ArticleFactory(offence_class=offence_class, penalty_min_months=minimum),
        status=status,
    )


def extended(period, on, case=None):
    """Record that the investigating judge extended the detention on ``on``."""
    return DecisionFactory(
        case=case or period.case,
        defendant=period.defendant,
        kind=DecisionKind.DETENTION_EXTENDED,
        date=on,
    )


def entry_for(period, as_of):
    [entry] = [e for e in pretrial_clock(as_of) if e.period == period]
    return entry


def alerts_for(period):
    return set(
        DetentionAlert.objects.filter(defendant=period.defendant).values_list(
            "kind", "threshold_days"
        )
    )


def in_phnom_penh(*args):
    """Freeze the clock at a Phnom Penh wall-clock time (seven hours ahead of UTC)."""
    return time_machine.travel(datetime.datetime(*args, tzinfo=PHNOM_PENH), tick=False)


# --- Days held and the offence class ----------------------------------------------------------


def test_days_held_count_from_the_first_day_of_detention():
    period = detained(MISDEMEANOUR)

    assert entry_for(period, datetime.date(2024, 3, 1)).days_held == 51


def test_a_pending_felony_charge_outweighs_a_misdemeanour_charge():
    period = detained(MISDEMEANOUR, minimum=12)
    felony = also_charged(period, FELONY, minimum=60)

    entry = entry_for(period, datetime.date(2024, 3, 1))

    assert (entry.offence_class, entry.charge) == (FELONY, felony)
    assert entry.limit_date == datetime.date(2024, 7, 10)


def test_a_convicted_charge_does_not_decide_the_class():
    period = detained(MISDEMEANOUR)
    also_charged(period, FELONY, minimum=60, status=ChargeStatus.CONVICTED)

    entry = entry_for(period, datetime.date(2024, 3, 1))

    assert entry.offence_class == MISDEMEANOUR
    assert entry.limit_date == datetime.date(2024, 5, 10)


def test_among_misdemeanours_the_heaviest_minimum_sentence_sets_the_limit():
    # Half of 6 months would cap the limit at 3; the 12-month charge allows the full 4.
    period = detained(MISDEMEANOUR, minimum=6)
    heavier = also_charged(period, MISDEMEANOUR, minimum=12)

    entry = entry_for(period, datetime.date(2024, 3, 1))

    assert entry.charge == heavier
    assert entry.limit_date == datetime.date(2024, 5, 10)


# --- The misdemeanour rule ---------------------------------------------------------------------


def test_a_misdemeanour_allows_four_months():
    entry = entry_for(detained(MISDEMEANOUR), datetime.date(2024, 3, 1))

    assert (entry.limit_months, entry.limit_date) == (4, datetime.date(2024, 5, 10))


def test_a_misdemeanour_is_held_at_most_half_the_minimum_sentence():
    entry = entry_for(detained(MISDEMEANOUR, minimum=6), datetime.date(2024, 3, 1))

    assert (entry.limit_months, entry.limit_date) == (3, datetime.date(2024, 4, 10))


def test_half_a_month_of_the_minimum_sentence_counts_fifteen_days():
    entry = entry_for(detained(MISDEMEANOUR, minimum=7), datetime.date(2024, 3, 1))

    assert (entry.limit_months, entry.limit_date) == (3.5, datetime.date(2024, 4, 25))


def test_one_extension_adds_two_months_to_a_misdemeanour():
    period = detained(MISDEMEANOUR)
    extended(period, datetime.date(2024, 5, 2))

    entry = entry_for(period, datetime.date(2024, 5, 20))

    assert (entry.extensions, entry.limit_date) == (1, datetime.date(2024, 7, 10))


def test_a_misdemeanour_can_be_extended_only_once():
    period = detained(MISDEMEANOUR)
    extended(period, datetime.date(2024, 5, 2))
    extended(period, datetime.date(2024, 7, 1))

    entry = entry_for(period, datetime.date(2024, 7, 5))

    assert (entry.limit_months, entry.limit_date) == (6, datetime.date(2024, 7, 10))


def test_an_extension_never_lifts_a_misdemeanour_past_half_the_minimum_sentence():
    period = detained(MISDEMEANOUR, minimum=10)
    extended(period, datetime.date(2024, 5, 2))

    entry = entry_for(period, datetime.date(2024, 5, 20))

    assert (entry.limit_months, entry.limit_date) == (5, datetime.date(2024, 6, 10))


# --- The felony rule ---------------------------------------------------------------------------


def test_a_felony_allows_six_months():
    entry = entry_for(detained(FELONY), datetime.date(2024, 3, 1))

    assert (entry.limit_months, entry.limit_date) == (6, datetime.date(2024, 7, 10))


@pytest.mark.parametrize(
    ("extensions", "months", "limit"),
    [
        (1, 12, datetime.date(2025, 1, 10)),
        (2, 18, datetime.date(2025, 7, 10)),
        (3, 18, datetime.date(2025, 7, 10)),
    ],
)
def test_each_felony_extension_adds_six_months_up_to_eighteen(extensions, months, limit):
    period = detained(FELONY)
    for n in range(extensions):
        extended(period, datetime.date(2024, 7, 1) + datetime.timedelta(days=n))

    entry = entry_for(period, datetime.date(2024, 7, 20))

    assert (entry.limit_months, entry.limit_date) == (months, limit)


def test_an_extension_dated_before_this_detention_began_does_not_count():
    period = detained(FELONY)
    extended(period, datetime.date(2023, 12, 1))

    assert entry_for(period, datetime.date(2024, 3, 1)).limit_date == datetime.date(2024, 7, 10)


def test_an_extension_in_another_case_does_not_count():
    period = detained(FELONY)
    other = ChargeFactory(defendant=period.defendant).case
    extended(period, datetime.date(2024, 5, 2), case=other)

    assert entry_for(period, datetime.date(2024, 6, 1)).limit_date == datetime.date(2024, 7, 10)


def test_a_limit_from_the_last_day_of_a_month_falls_on_the_last_day_of_a_shorter_month():
    assert add_months(datetime.date(2023, 10, 31), 4) == datetime.date(2024, 2, 29)


# --- No limit known, no warning ----------------------------------------------------------------


def test_a_charge_of_unknown_class_gives_no_limit():
    entry = entry_for(detained(OffenceClass.UNKNOWN), datetime.date(2026, 1, 1))

    assert (entry.status, entry.rule, entry.limit_date) == ("unknown", None, None)


def test_a_charge_of_unknown_class_raises_no_alert_however_long_the_detention():
    period = detained(OffenceClass.UNKNOWN)

    check_detention_limits("2026-01-01")

    assert alerts_for(period) == set()


def test_a_person_with_no_pending_charge_is_shown_as_such():
    entry = entry_for(detained(FELONY, status=ChargeStatus.CONVICTED), datetime.date(2026, 1, 1))

    assert (entry.status, entry.limit_date) == ("no pending charge", None)


def test_a_person_with_no_pending_charge_raises_no_alert():
    period = detained(FELONY, status=ChargeStatus.CONVICTED)

    check_detention_limits("2026-01-01")

    assert alerts_for(period) == set()


# --- The exact days, by the Phnom Penh calendar (limit: 10 May 2024) -------------------------


def test_no_warning_fifteen_days_before_the_limit():
    period = detained(MISDEMEANOUR)

    with in_phnom_penh(2024, 4, 25, 23, 59):
        check_detention_limits()

    assert alerts_for(period) == set()


def test_the_warning_starts_fourteen_days_before_the_limit_at_phnom_penh_midnight():
    # 00:01 in Phnom Penh is still 25 April in UTC.
    period = detained(MISDEMEANOUR)

    with in_phnom_penh(2024, 4, 26, 0, 1):
        check_detention_limits()

    assert alerts_for(period) == {("approaching", 14)}


def test_the_limit_day_itself_is_not_yet_past_the_limit():
    period = detained(MISDEMEANOUR)

    with in_phnom_penh(2024, 5, 10, 23, 59):
        entry = entry_for(period, None)
        check_detention_limits()

    assert (entry.days_held, entry.days_left, entry.status) == (121, 0, "running")
    assert alerts_for(period) == {("approaching", 14)}


def test_the_day_after_the_limit_is_past_it_from_phnom_penh_midnight():
    # 00:01 in Phnom Penh is still the limit day in UTC.
    period = detained(MISDEMEANOUR)

    with in_phnom_penh(2024, 5, 11, 0, 1):
        entry = entry_for(period, None)
        check_detention_limits()

    assert (entry.days_left, entry.status) == (-1, "exceeded")
    assert alerts_for(period) == {("exceeded", 0)}
