"""The nightly pretrial-detention clock."""

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core import roles
from defendants.clock import pretrial_clock
from defendants.models import DetentionAlert, DetentionAlertKind

log = logging.getLogger(__name__)


def raise_alerts(as_of, thresholds):
    """Create the alerts due on ``as_of``; return the new ones. Running twice adds nothing.

    Written in bulk (with their history): a first run over a large register raises thousands
    of alerts at once."""
    due = []
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
        due += [(entry, kind, threshold) for kind, threshold in wanted]
    created = []
    if due:
        # One alert per person, rule, kind, threshold and limit date (the unique constraint).
        dates = [entry.limit_date for entry, _kind, _threshold in due]
        raised = set(
            DetentionAlert.objects.filter(
                limit_date__gte=min(dates), limit_date__lte=max(dates)
            ).values_list("defendant_id", "rule_id", "kind", "threshold_days", "limit_date")
        )
        for entry, kind, threshold in due:
            key = (entry.defendant.pk, entry.rule.pk, kind, threshold, entry.limit_date)
            if key not in raised:
                raised.add(key)
                created.append(
                    DetentionAlert(
                        defendant=entry.defendant,
                        case=entry.case,
                        rule=entry.rule,
                        kind=kind,
                        threshold_days=threshold,
                        limit_date=entry.limit_date,
                        days_held=entry.days_held,
                    )
                )
        created = bulk_create_with_history(created, DetentionAlert, batch_size=500)
    # Someone no longer held before trial needs no warning any more, nor does a limit that an
    # extension (or a changed rule) has replaced.
    for alert in DetentionAlert.objects.filter(resolved_at__isnull=True):
        if (alert.defendant_id, alert.case_id, alert.limit_date) not in still_held:
            alert.resolved_at = timezone.now()
            alert.save()
    return created


def notify(alert):
    """Email the case's assigned monitors about ``alert``, once; True if an email went out.

    ``alert.case.assigned_monitors`` is read as prefetched by the caller."""
    recipients = [u.email for u in alert.case.assigned_monitors.all() if u.email and u.is_active]
    if not recipients:
        return False
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
    return True


@shared_task(acks_late=True)
def check_detention_limits(as_of=None):
    """Flag people approaching or past their pretrial-detention limit and tell their monitors.

    ``as_of`` is an ISO date (default: today in Phnom Penh). Idempotent.
    """
    day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
    with transaction.atomic():
        created = raise_alerts(day, settings.DETENTION_ALERT_DAYS)
    # Alerts not yet emailed, including any whose email failed on an earlier run. An alert
    # whose email went out is marked at once, so a run cut short never emails it twice; alerts
    # with nobody to tell are marked together.
    pending = DetentionAlert.objects.filter(notified_at__isnull=True, resolved_at__isnull=True)
    nobody_to_tell = []
    staff = roles.staff_members(get_user_model().objects.all())
    for alert in pending.select_related("defendant", "case", "rule").prefetch_related(
        Prefetch("case__assigned_monitors", queryset=staff)
    ):
        try:
            emailed = notify(alert)
        except Exception:  # one refused email must not hold back the others
            log.exception("detention alert %s not emailed; retried on the next run", alert.pk)
            continue
        alert.notified_at = timezone.now()
        if emailed:
            alert.save()
        else:
            nobody_to_tell.append(alert)
    bulk_update_with_history(nobody_to_tell, DetentionAlert, ["notified_at"], batch_size=500)
    log.info("detention clock for %s: %d new alert(s)", day, len(created))
    return len(created)
