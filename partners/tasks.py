from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import DeliveryStatus, Webhook, WebhookDelivery
from .webhooks import collect, deliver


@shared_task
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


@shared_task(acks_late=True)
def deliver_webhook(delivery_id):
    """Send one pending delivery (skipped if another worker holds it or it is done)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("webhook")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return None
        return deliver(delivery)


@shared_task
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
