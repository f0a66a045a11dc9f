"""The nightly pretrial-detention clock."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .clock import pretrial_clock
from .models import DetentionAlert, DetentionAlertKind

log = logging.getLogger(__name__)


def raise_alerts(as_of, thresholds):
    """Create the alerts due on ``as_of``; return the new ones. Running twice adds nothing."""
    created = []
    still_held = set()
    for entry in pretrial_clock(as_of):
        if entry.rule is None:
            continue
        still_held.add((entry.defendant.pk, entry.case.pk, entry.limit_date))
        wanted = []
        if entry.days_left < 0:
            wanted.append((DetentionAlertKind.EXCEEDED, 0))
        else:
            wanted += [
                (DetentionAlertKind.APPROACHING, days)
                for days in thresholds
                if entry.days_left <= days
            ]
        for kind, threshold in wanted:
            alert, is_new = DetentionAlert.objects.get_or_create(
                defendant=entry.defendant,
                rule=entry.rule,
                kind=kind,
                threshold_days=threshold,
                limit_date=entry.limit_date,
                defaults={"case": entry.case, "days_held": entry.days_held},
            )
            if is_new:
                created.append(alert)
    # Someone no longer held before trial needs no warning any more, nor does a limit that an
    # extension (or a changed rule) has replaced.
    for alert in DetentionAlert.objects.filter(resolved_at__isnull=True).select_related(
        "defendant", "case"
    ):
        if (alert.defendant_id, alert.case_id, alert.limit_date) not in still_held:
            alert.resolved_at = timezone.now()
            alert.save()
    return created


def notify(alert):
    """Email the case's assigned monitors about ``alert``, once."""
    recipients = [u.email for u in alert.case.assigned_monitors.all() if u.email and u.is_active]
    if recipients:
        subject = _("Pretrial detention: %(person)s — %(kind)s (%(date)s)") % {
            "person": alert.defendant,
            "kind": alert.get_kind_display(),
            "date": alert.limit_date.isoformat(),
        }
        body = _(
            "%(person)s has been held for %(days)d days before trial in “%(case)s”. Under the "
            "rule “%(rule)s” the limit falls on %(date)s."
        ) % {
            "person": alert.defendant,
            "days": alert.days_held,
            "case": alert.case,
            "rule": alert.rule,
            "date": alert.limit_date.isoformat(),
        }
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    alert.notified_at = timezone.now()
    alert.save()


@shared_task(acks_late=True)
def check_detention_limits(as_of=None):
    """Flag people approaching or past their pretrial-detention limit and tell their monitors.

    ``as_of`` is an ISO date (default: today in Phnom Penh). Idempotent.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    with transaction.atomic():
        created = raise_alerts(day, settings.DETENTION_ALERT_DAYS)
    # Alerts not yet emailed, including any whose email failed on an earlier run.
    pending = DetentionAlert.objects.filter(notified_at__isnull=True, resolved_at__isnull=True)
    for alert in pending.select_related("defendant", "case", "rule"):
        try:
            notify(alert)
        except Exception:  # one refused email must not hold back the others
            log.exception("detention alert %s not emailed; retried on the next run", alert.pk)
    log.info("detention clock for %s: %d new alert(s)", day, len(created))
    return len(created)
