"""The detention clock and its alerts on the data of the 2024 UN Secretary-General report on
Cambodia (31 May 2024, the end of the period it covers), seeded once for the module."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction

from defendants.clock import pretrial_clock
from defendants.models import DetentionAlert
from defendants.tasks import check_detention_limits
from tests.background.dashboard import clock_rows, dashboard_section, on_phnom_penh_day

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker):
    """Seed once for this module, in a transaction rolled back after its last test; each test
    runs in its own savepoint inside it (pytest-django's ``db``)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_report", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


# --- On the report's data (31 May 2024) --------------------------------------------------------

END_OF_PERIOD = datetime.date(2024, 5, 31)


@pytest.fixture
def report(seeded_once, db):
    """The database as ``seed_report`` leaves it."""


def test_on_the_reports_data_eng_sroy_and_ny_nak_are_held_past_their_limits(report):
    # Eng Sroy: misdemeanour (art. 495, at least 6 months) → at most 3 months from July 2023.
    # Ny Nak: misdemeanours, the heaviest art. 496 (at least 12 months) → 4 months from
    # 5 January 2024. Neither has a recorded extension.
    with_limits = {
        str(e.defendant): (e.days_held, e.offence_class, e.limit_months, e.limit_date, e.status)
        for e in pretrial_clock(END_OF_PERIOD)
        if e.limit_date is not None
    }

    assert with_limits == {
        "Eng Sroy": (335, "misdemeanour", 3, datetime.date(2023, 10, 1), "exceeded"),
        "Ny Nak": (147, "misdemeanour", 4, datetime.date(2024, 5, 5), "exceeded"),
    }


def test_on_the_reports_data_the_check_raises_exceeded_alerts_for_both(report):
    check_detention_limits(END_OF_PERIOD.isoformat())

    assert set(DetentionAlert.objects.values_list("defendant__name", "kind", "limit_date")) == {
        ("Eng Sroy", "exceeded", datetime.date(2023, 10, 1)),
        ("Ny Nak", "exceeded", datetime.date(2024, 5, 5)),
    }


def test_on_the_reports_data_the_dashboard_clock_lists_eng_sroy_and_ny_nak(report, client, monitor):
    with on_phnom_penh_day(END_OF_PERIOD):
        rows = clock_rows(dashboard_section(client, monitor, "alerts"))

    by_person = {row["Person"]: row for row in rows}
    assert {k: by_person["Eng Sroy"][k] for k in ("Days", "Limit", "Days left")} == {
        "Days": "335",
        "Limit": "1 October 2023",
        "Days left": "243 days past",
    }
    assert {k: by_person["Ny Nak"][k] for k in ("Days", "Limit", "Days left")} == {
        "Days": "147",
        "Limit": "5 May 2024",
        "Days left": "26 days past",
    }
