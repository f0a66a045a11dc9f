"""The nightly detention check: one alert per person, rule, threshold and limit date, emailed
once to the monitors assigned to the case, resolved when the person is no longer held before
trial; and what the monitor's dashboard shows of it."""

import datetime
import smtplib

import pytest
from django.core import mail

from cases.models import OffenceClass
from core import roles
from defendants.models import CustodyKind, DetentionAlert, DetentionRule
from defendants.tasks import check_detention_limits
from hearings.models import DecisionKind
from hearings.services import custody_change
from tests.background.dashboard import (
    alert_lines,
    clock_rows,
    dashboard_section,
    on_phnom_penh_day,
)
from tests.factories import (
    ArticleFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 10)
LIMIT = datetime.date(2024, 5, 10)  # a misdemeanour: four months
NEAR = "2024-05-01"  # nine days before the limit


@pytest.fixture
def assigned(db):
    """A monitor with an email address, assigned to the cases made by ``detained``."""
    return UserFactory(role=roles.MONITOR, email="sokha@example.org")


@pytest.fixture
def detained(assigned):
    """``detained()`` → a person held since START on a misdemeanour charge (no minimum
    sentence recorded), in a case ``assigned`` monitors."""

    def make(name="Defendant"):
        charge = ChargeFactory(
            defendant__name=name, article=ArticleFactory(offence_class=OffenceClass.MISDEMEANOUR)
        )
        charge.case.assigned_monitors.add(assigned)
        return CustodyPeriodFactory(defendant=charge.defendant, case=charge.case, start=START)

    return make


def open_alerts(period):
    return DetentionAlert.objects.filter(defendant=period.defendant, resolved_at__isnull=True)


def fail_once(monkeypatch):
    """Make the next email fail (the SMTP server refuses it); the ones after it go out."""
    real = mail.send_mail
    failures = []

    def send_mail(*args, **kwargs):
        if not failures:
            failures.append(args)
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real(*args, **kwargs)

    monkeypatch.setattr("defendants.tasks.send_mail", send_mail)
    return failures


# --- Alerts ------------------------------------------------------------------------------------


def test_it_raises_one_alert_for_a_person_near_the_limit(detained):
    period = detained()

    check_detention_limits(NEAR)

    alert = DetentionAlert.objects.get()
    assert (alert.defendant, alert.case, alert.rule) == (
        period.defendant,
        period.case,
        DetentionRule.objects.get(offence_class=OffenceClass.MISDEMEANOUR, is_active=True),
    )
    assert (alert.kind, alert.threshold_days, alert.limit_date, alert.days_held) == (
        "approaching",
        14,
        LIMIT,
        112,
    )


def test_it_raises_one_alert_per_threshold_passed(detained, settings):
    settings.DETENTION_ALERT_DAYS = [14, 7]
    period = detained()

    check_detention_limits("2024-05-05")

    assert sorted(open_alerts(period).values_list("threshold_days", flat=True)) == [7, 14]


def test_running_it_twice_creates_no_new_alert_and_sends_no_second_email(detained, mailoutbox):
    detained()
    check_detention_limits(NEAR)

    created = check_detention_limits(NEAR)

    assert created == 0
    assert DetentionAlert.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_next_day_adds_nothing_for_the_same_limit(detained, mailoutbox):
    detained()
    check_detention_limits(NEAR)

    check_detention_limits("2024-05-02")

    assert DetentionAlert.objects.count() == 1
    assert len(mailoutbox) == 1


def test_the_email_goes_to_the_monitors_assigned_to_the_case(detained, assigned, mailoutbox):
    period = detained(name="Ny Nak")
    colleague = UserFactory(role=roles.MONITOR, email="dara@example.org")
    period.case.assigned_monitors.add(
        colleague, UserFactory(role=roles.MONITOR, email="left@example.org", is_active=False)
    )
    UserFactory(role=roles.MONITOR, email="not-on-the-case@example.org")

    check_detention_limits(NEAR)

    [email] = mailoutbox
    assert sorted(email.to) == ["dara@example.org", "sokha@example.org"]
    assert "Ny Nak" in email.subject
    assert "2024-05-10" in email.body


def test_an_alert_is_marked_emailed(detained):
    detained()

    check_detention_limits(NEAR)

    assert DetentionAlert.objects.get().notified_at is not None


def test_every_new_alert_has_its_history_record(detained):
    for name in ("Ny Nak", "Eng Sroy", "Theary"):
        detained(name=name)

    check_detention_limits(NEAR)

    created = DetentionAlert.history.filter(history_type="+")
    assert DetentionAlert.objects.count() == 3
    assert sorted(created.values_list("id", flat=True)) == sorted(
        DetentionAlert.objects.values_list("id", flat=True)
    )


def test_an_alert_with_nobody_to_tell_is_marked_handled_without_an_email(detained, mailoutbox):
    period = detained()
    period.case.assigned_monitors.clear()

    check_detention_limits(NEAR)

    assert DetentionAlert.objects.get().notified_at is not None
    assert mailoutbox == []


@pytest.mark.parametrize("people", [1, 6])
def test_raising_alerts_for_people_with_nobody_to_tell_reads_the_same_queries(
    detained, django_assert_num_queries, people
):
    for number in range(people):
        detained(name=f"Person {number}").case.assigned_monitors.clear()

    # In the transaction: the clock (4), the alerts already raised (1), the insert and its
    # history (2), the open alerts to resolve (1), and its savepoint (2). Then the pending
    # alerts and their cases' monitors (2), the marks and their history (2). The count does
    # not grow with the number of people.
    with django_assert_num_queries(QUERIES_TO_RAISE_ALERTS):
        check_detention_limits(NEAR)


QUERIES_TO_RAISE_ALERTS = 14


@pytest.mark.parametrize("kind", [CustodyKind.RELEASED, CustodyKind.BAIL])
def test_an_alert_is_resolved_when_the_person_is_released(detained, kind):
    period = detained()
    check_detention_limits(NEAR)
    custody_change(
        defendant=period.defendant,
        case=period.case,
        kind=kind,
        start=datetime.date(2024, 5, 3),
        start_precision="day",
        visibility=period.visibility,
    )

    check_detention_limits("2024-05-03")

    replaced = DetentionAlert.objects.get(limit_date=LIMIT)
    assert replaced.resolved_at is not None
    assert not open_alerts(period).exists()
    assert DetentionAlert.objects.get().resolved_at is not None


def test_an_alert_stays_open_while_the_person_is_held(detained):
    period = detained()
    check_detention_limits(NEAR)

    check_detention_limits("2024-05-03")

    assert open_alerts(period).count() == 1


def test_an_extension_resolves_the_alert_for_the_limit_it_replaced(detained):
    period = detained()
    check_detention_limits(NEAR)
    DecisionFactory(
        case=period.case,
        defendant=period.defendant,
        kind=DecisionKind.DETENTION_EXTENDED,
        date=datetime.date(2024, 5, 2),
    )

    check_detention_limits("2024-05-03")

    replaced = DetentionAlert.objects.get(limit_date=LIMIT)
    assert replaced.resolved_at is not None
    assert not open_alerts(period).exists()


def test_an_email_that_failed_is_sent_on_the_next_run(detained, monkeypatch, mailoutbox):
    detained()
    failures = fail_once(monkeypatch)
    check_detention_limits(NEAR)
    assert (len(failures), len(mailoutbox)) == (1, 0)
    assert DetentionAlert.objects.get().notified_at is None

    check_detention_limits(NEAR)

    assert len(mailoutbox) == 1
    assert DetentionAlert.objects.get().notified_at is not None


def test_one_failed_email_does_not_hold_back_the_others(detained, monkeypatch, mailoutbox):
    detained(name="First")
    detained(name="Second")
    fail_once(monkeypatch)

    check_detention_limits(NEAR)

    assert len(mailoutbox) == 1
    assert DetentionAlert.objects.filter(notified_at__isnull=True).count() == 1


# --- On the monitor's dashboard ----------------------------------------------------------------


def test_open_alerts_appear_on_the_monitors_dashboard(client, detained, monitor):
    period = detained(name="Koeut Saray")
    check_detention_limits(NEAR)

    with on_phnom_penh_day(datetime.date(2024, 5, 1)):
        section = dashboard_section(client, monitor, "alerts")

    assert alert_lines(section) == [
        f"Limit approaching: Koeut Saray — limit 10 May 2024 ({period.case.title})"
    ]


def test_an_alert_leaves_the_dashboard_once_the_person_is_released(client, detained, monitor):
    period = detained(name="Koeut Saray")
    check_detention_limits(NEAR)
    assert open_alerts(period).count() == 1
    period.end = datetime.date(2024, 5, 1)
    period.save()
    check_detention_limits(NEAR)

    with on_phnom_penh_day(datetime.date(2024, 5, 1)):
        section = dashboard_section(client, monitor, "alerts")

    assert alert_lines(section) == []


def test_the_clock_table_shows_days_held_and_the_limit(client, detained, monitor):
    period = detained(name="Koeut Saray")

    with on_phnom_penh_day(datetime.date(2024, 5, 1)):
        section = dashboard_section(client, monitor, "alerts")

    assert clock_rows(section) == [
        {
            "Person": "Koeut Saray",
            "Court": period.case.court.name_en,
            "Held since": "10 January 2024",
            "Days": "112",
            "Class": "misdemeanour",
            "Limit": "10 May 2024",
            "Days left": "9",
            "Actions": "Log a hearing",
        }
    ]
