"""Background work of the data exchange: exports written in the background and downloaded
when done, and partner webhooks collected and delivered.

The tasks keep the names they were first registered under (``cases.tasks.…`` and
``partners.tasks.…``): queued messages and beat schedules name tasks by these strings."""

import datetime
import logging
import secrets
import tempfile
from types import SimpleNamespace

from celery import shared_task
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cases.models import ExportJob, ExportStatus
from core.background import send_now
from exchange.exports import CSV_EXPORTS, JSON_EXPORTS
from exchange.streams import stream_csv, stream_json
from exchange.webhooks import collect, deliver
from partners.models import DeliveryStatus, PartnerPrincipal, Webhook, WebhookDelivery

log = logging.getLogger(__name__)


def _request_for(job):
    if job.partner_id:
        user = PartnerPrincipal(job.partner)
    elif job.requested_by_id:
        user = job.requested_by
    else:
        user = None
    return SimpleNamespace(user=user)


@shared_task(
    name="cases.tasks.run_export", acks_late=True, soft_time_limit=30 * 60, time_limit=35 * 60
)
def run_export(job_id):
    """Write the export file for ``job_id``, updating progress as chunks are written.

    Safe to run twice: a job already done or running elsewhere is left alone.
    """

    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(skip_locked=True)
            .filter(pk=job_id, status=ExportStatus.QUEUED)
            .first()
        )
        if job is None:
            return None
        job.status = ExportStatus.RUNNING
        job.save(update_fields=["status", "updated_at"])

    request = _request_for(job)
    exports = JSON_EXPORTS if job.export_format == "json" else CSV_EXPORTS
    export = exports[job.export_type]
    queryset = export.visible(job.level)
    job.rows_total = queryset.count()
    job.save(update_fields=["rows_total", "updated_at"])

    def build(ids):
        job.rows_done += len(ids)
        ExportJob.objects.filter(pk=job.pk).update(rows_done=job.rows_done)  # progress only
        if job.export_format == "json":
            return export.build(request, ids)
        return export.rows(request, ids)

    try:
        if job.export_format == "json":
            parts = stream_json(queryset, build, lambda records: export.serialize(request, records))
        else:
            parts = stream_csv(queryset, export.columns, build)
        with tempfile.TemporaryFile() as spool:  # on disk: memory stays flat
            for part in parts:
                spool.write(part if isinstance(part, bytes) else part.encode())
            spool.seek(0)
            # A random part: the file's name must not be guessable from the job.
            name = f"{job.export_type}-{secrets.token_hex(16)}.{job.export_format}"
            job.file.save(name, File(spool), save=False)
        job.status = ExportStatus.DONE
        job.finished_at = timezone.now()
        job.save()
    except Exception as error:
        log.exception("export %s failed", job.pk)
        job.status = ExportStatus.FAILED
        job.error = str(error)[:1000]
        job.finished_at = timezone.now()
        job.save()
        raise
    return job.pk


@shared_task(name="cases.tasks.requeue_stale_exports")
def requeue_stale_exports(older_than_seconds=120):
    """Queue again the exports still waiting (e.g. requested while the broker was down), and
    those whose worker died running them: none runs past run_export's hard time limit."""
    now = timezone.now()
    dead = now - datetime.timedelta(seconds=run_export.time_limit)
    ExportJob.objects.filter(status=ExportStatus.RUNNING, updated_at__lt=dead).update(
        status=ExportStatus.QUEUED, rows_done=0, updated_at=now
    )
    cutoff = now - datetime.timedelta(seconds=older_than_seconds)
    waiting = ExportJob.objects.filter(status=ExportStatus.QUEUED, created_at__lt=cutoff)
    return sum(send_now(run_export, pk) for pk in waiting.values_list("pk", flat=True))


@shared_task(name="partners.tasks.collect_webhook_events")
def collect_webhook_events():
    """Turn recent changes into deliveries for every active webhook. Idempotent."""
    total = 0
    for webhook in Webhook.objects.filter(is_active=True, partner__is_active=True).select_related(
        "partner"
    ):
        with transaction.atomic():
            locked = Webhook.objects.select_for_update().get(pk=webhook.pk)
            locked.partner = webhook.partner
            total += collect(locked)
    return total


@shared_task(name="partners.tasks.deliver_webhook", acks_late=True)
def deliver_webhook(delivery_id):
    """Send one pending delivery (skipped if another worker holds it or it is done)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook__partner")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        return deliver(delivery)


@shared_task(name="partners.tasks.deliver_due_webhooks")
def deliver_due_webhooks(limit=500):
    """Send every pending delivery whose time has come, oldest first."""
    due = WebhookDelivery.objects.filter(
        status=DeliveryStatus.PENDING, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    sent = 0
    for delivery_id in due.values_list("pk", flat=True)[:limit]:
        if deliver_webhook(delivery_id) == DeliveryStatus.DELIVERED:
            sent += 1
    return sent
