"""Reminders of scheduled hearings for the monitors assigned to their cases."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core import roles
from hearings.models import Hearing, HearingStatus, SentReminder

log = logging.getLogger(__name__)


def send_once(key, user, subject, body):
    """Send unless a reminder with ``key`` was already sent; True if it was sent now."""
    if not user.email or not user.is_active:
        return False
    try:
        with transaction.atomic():
            SentReminder.objects.create(key=key, user=user)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False  # sent by an earlier run
    except Exception:  # one refused email must not hold back the other reminders
        log.exception("reminder %s not sent; it is tried again if the task runs again", key)
        return False
    return True


def staff_users():
    """Who may be e-mailed about a case: staff only, never a Partner user assigned to it."""
    return roles.staff_members(get_user_model().objects.all())


def describe(hearing):
    court = f", {hearing.court}" if hearing.court else ""
    time = f" {hearing.time:%H:%M}" if hearing.time else ""
    return f"{hearing.when}{time}{court}: {hearing.get_kind_display()} — {hearing.case}"


@shared_task
def send_hearing_reminders(today=None):
    """Remind monitors N days before each scheduled hearing of their cases (N from settings)."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    sent = 0
    for days in settings.HEARING_REMINDER_DAYS:
        target = day + datetime.timedelta(days=days)
        hearings = (
            Hearing.objects.filter(
                date=target, date_precision="day", status=HearingStatus.SCHEDULED
            )
            .select_related("case", "court")
            .prefetch_related(Prefetch("case__assigned_monitors", queryset=staff_users()))
        )
        for hearing in hearings:
            for user in hearing.case.assigned_monitors.all():
                key = f"reminder:hearing-{hearing.pk}:user-{user.pk}:{target.isoformat()}:{days}d"
                subject = _("Hearing in %(days)d day(s): %(case)s") % {
                    "days": days,
                    "case": hearing.case,
                }
                sent += send_once(key, user, subject, describe(hearing))
    return sent


@shared_task
def send_daily_digests(today=None):
    """One email a day to each monitor listing their cases' hearings in the coming week."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    week = day + datetime.timedelta(days=7)
    sent = 0
    users = (
        staff_users()
        .filter(is_active=True, assigned_cases__hearings__date__range=(day, week))
        .distinct()
    )
    for user in users:
        hearings = (
            Hearing.objects.filter(
                case__assigned_monitors=user,
                date__range=(day, week),
                status=HearingStatus.SCHEDULED,
            )
            .select_related("case", "court")
            .order_by("date", "time")
        )
        if not hearings:
            continue
        body = "\n".join(describe(h) for h in hearings)
        subject = _("Your hearings this week (%(date)s)") % {"date": day.isoformat()}
        sent += send_once(f"digest:user-{user.pk}:{day.isoformat()}", user, subject, body)
    return sent
