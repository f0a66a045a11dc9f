"""Hearing reminders (N days before each scheduled hearing, N from HEARING_REMINDER_DAYS) and
the daily digest of the coming week, emailed to the monitors assigned to the case, once."""

import datetime
import smtplib

import pytest
from django.core import mail

from core import roles
from hearings.models import HearingStatus
from hearings.tasks import send_daily_digests, send_hearing_reminders
from tests.factories import CaseFactory, HearingFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 6, 3)


def days_ahead(days):
    return TODAY + datetime.timedelta(days=days)


@pytest.fixture
def assigned(db):
    return UserFactory(role=roles.MONITOR, email="sokha@example.org")


@pytest.fixture
def case(assigned):
    case = CaseFactory(title="Trial of the union leaders")
    case.assigned_monitors.add(assigned)
    return case


@pytest.fixture
def scheduled(case):
    """``scheduled(days)`` → a hearing of ``case`` scheduled that many days after TODAY."""

    def make(days, **fields):
        return HearingFactory(
            case=fields.pop("case", case),
            date=days_ahead(days),
            status=fields.pop("status", HearingStatus.SCHEDULED),
            **fields,
        )

    return make


def remind():
    return send_hearing_reminders(TODAY.isoformat())


# --- Reminders ---------------------------------------------------------------------------------


def test_an_assigned_monitor_is_reminded_seven_days_before_a_hearing(scheduled, mailoutbox):
    scheduled(7)

    remind()

    [email] = mailoutbox
    assert email.to == ["sokha@example.org"]
    assert email.subject == "Hearing in 7 day(s): Trial of the union leaders"
    assert "10 June 2024" in email.body


def test_an_assigned_monitor_is_reminded_again_the_day_before(scheduled, mailoutbox):
    scheduled(1)

    remind()

    assert [e.subject for e in mailoutbox] == ["Hearing in 1 day(s): Trial of the union leaders"]


@pytest.mark.parametrize("days", [0, 2, 6, 8])
def test_no_reminder_on_the_other_days(scheduled, mailoutbox, days):
    scheduled(days)

    remind()

    assert mailoutbox == []


def test_the_reminder_days_come_from_the_settings(scheduled, mailoutbox, settings):
    settings.HEARING_REMINDER_DAYS = [3]
    scheduled(3)
    scheduled(7)

    remind()

    assert [e.subject for e in mailoutbox] == ["Hearing in 3 day(s): Trial of the union leaders"]


@pytest.mark.parametrize(
    "status", [HearingStatus.CANCELLED, HearingStatus.HELD, HearingStatus.POSTPONED]
)
def test_no_reminder_for_a_hearing_that_is_not_scheduled(scheduled, mailoutbox, status):
    scheduled(7, status=status)

    remind()

    assert mailoutbox == []


def test_no_reminder_for_a_hearing_known_only_to_the_month(scheduled, mailoutbox):
    scheduled(7, date_precision="month")

    remind()

    assert mailoutbox == []


def test_no_reminder_for_a_monitor_not_assigned_to_the_case(scheduled, mailoutbox):
    UserFactory(role=roles.MONITOR, email="dara@example.org")
    scheduled(7, case=CaseFactory())

    remind()

    assert mailoutbox == []


def test_no_reminder_for_an_assigned_monitor_who_left(scheduled, assigned, mailoutbox):
    assigned.is_active = False
    assigned.save()
    scheduled(7)

    remind()

    assert mailoutbox == []


def test_every_assigned_monitor_gets_their_own_reminder(scheduled, case, mailoutbox):
    case.assigned_monitors.add(UserFactory(role=roles.MONITOR, email="dara@example.org"))
    scheduled(7)

    remind()

    assert sorted(e.to[0] for e in mailoutbox) == ["dara@example.org", "sokha@example.org"]


def test_running_the_reminders_twice_sends_once(scheduled, mailoutbox):
    scheduled(7)
    remind()

    sent_again = remind()

    assert (sent_again, len(mailoutbox)) == (0, 1)


def test_a_refused_email_does_not_hold_back_the_other_reminders(
    scheduled, case, mailoutbox, monkeypatch
):
    case.assigned_monitors.add(UserFactory(role=roles.MONITOR, email="dara@example.org"))
    scheduled(7)
    real = mail.send_mail

    def send_mail(subject, body, sender, recipients):
        if recipients == ["sokha@example.org"]:
            raise smtplib.SMTPRecipientsRefused({"sokha@example.org": (550, b"No such user")})
        return real(subject, body, sender, recipients)

    monkeypatch.setattr("hearings.tasks.send_mail", send_mail)

    remind()

    assert [e.to for e in mailoutbox] == [["dara@example.org"]]


def test_a_refused_reminder_is_sent_when_the_task_runs_again(scheduled, mailoutbox, monkeypatch):
    scheduled(7)

    def send_mail(*args):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("hearings.tasks.send_mail", send_mail)
    remind()
    monkeypatch.undo()

    remind()

    assert len(mailoutbox) == 1


# --- The daily digest --------------------------------------------------------------------------


def digest(day=TODAY):
    return send_daily_digests(day.isoformat())


def test_the_digest_lists_the_scheduled_hearings_of_my_cases_this_week(scheduled, mailoutbox):
    scheduled(0, time=datetime.time(8, 30))
    scheduled(7)
    scheduled(8)  # next week
    scheduled(3, status=HearingStatus.CANCELLED)
    scheduled(2, case=CaseFactory(title="Someone else's case"))

    digest()

    [email] = mailoutbox
    assert email.to == ["sokha@example.org"]
    assert email.subject == "Your hearings this week (2024-06-03)"
    lines = email.body.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("3 June 2024 08:30")
    assert lines[1].startswith("10 June 2024")
    assert all(line.endswith("Trial of the union leaders") for line in lines)


def test_the_digest_is_sent_once_per_user_per_day(scheduled, mailoutbox):
    scheduled(2)
    digest()

    digest()

    assert len(mailoutbox) == 1


def test_the_next_day_brings_a_new_digest(scheduled, mailoutbox):
    scheduled(2)
    digest()

    digest(days_ahead(1))

    assert [e.subject for e in mailoutbox] == [
        "Your hearings this week (2024-06-03)",
        "Your hearings this week (2024-06-04)",
    ]


def test_no_digest_for_a_week_without_scheduled_hearings(scheduled, mailoutbox):
    scheduled(2, status=HearingStatus.CANCELLED)

    digest()

    assert mailoutbox == []


def test_each_monitor_gets_a_digest_of_their_own_cases(scheduled, mailoutbox):
    dara = UserFactory(role=roles.MONITOR, email="dara@example.org")
    other = CaseFactory(title="Land activists")
    other.assigned_monitors.add(dara)
    scheduled(1)
    scheduled(2, case=other)

    digest()

    bodies = {e.to[0]: e.body for e in mailoutbox}
    assert set(bodies) == {"sokha@example.org", "dara@example.org"}
    assert "Land activists" in bodies["dara@example.org"]
    assert "Land activists" not in bodies["sokha@example.org"]
