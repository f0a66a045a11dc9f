"""Partner webhooks: changes to the records a partner may see, sent as signed JSON.

Changes are read from the history tables (every write path records history), so nothing that
changes a record needs to remember to notify anyone. ``collect`` turns the changes since a
webhook's cursor into ``WebhookDelivery`` rows — the outbox — and ``deliver`` sends one, with
retries and exponential backoff. Each delivery carries an idempotency key: delivery is at least
once, and a receiver drops keys it has seen.
"""

import datetime
import hashlib
import hmac
import http.client
import json
import time
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from core import registry
from core.destinations import DestinationRefused, connect_public
from core.visibility import level_for
from exchange.models import Change
from exchange.tombstones import TombstoneFinder, synced_models
from partners.models import DeliveryStatus, PartnerPrincipal, WebhookDelivery

USER_AGENT = "CambodiaTrialTracker-Webhooks/1"
RETRYABLE_STATUS = {408, 425, 429}
# Events that carry the record's data: sent only while the partner may still see it.
EVENTS_WITH_DATA = {"created", "updated"}


def api_views():
    """The API viewset of each record type a webhook sends: a delivery carries the record as
    the API's detail gives it to the partner, read through the same visibility gate and with
    the same nested reads (a decision's charges, a citation's subject …). Every synced type
    has one (tests/test_registry.py)."""
    return {t.path: t.viewset_class for t in registry.synced()}


def detail_view(record_type, request):
    """The API's detail view of ``record_type`` for ``request``, or None (no such type)."""
    view = api_views().get(record_type)
    if view is None:
        return None
    return view(request=request, action="retrieve", format_kwarg=None, kwargs={})


def collect(webhook, now=None):
    """Create deliveries for what changed since ``webhook.cursor``; returns how many.

    Running it twice creates nothing new (one delivery per webhook and idempotency key).
    """
    now = now or timezone.now()
    until = now - datetime.timedelta(seconds=settings.WEBHOOK_COLLECT_LAG_SECONDS)
    if until <= webhook.cursor:
        return 0
    viewer = PartnerPrincipal(webhook.partner)
    request = SimpleNamespace(user=viewer, query_params={})  # as_of: today
    created = 0
    finder = TombstoneFinder(viewer, webhook.cursor)
    for record_type, model in synced_models().items():
        latest = {}
        history = model.history.filter(history_date__gte=webhook.cursor, history_date__lt=until)
        for row in history.order_by("history_date", "history_id").values(
            "id", "history_id", "history_type", "history_date"
        ):
            latest[row["id"]] = row
        view = detail_view(record_type, request)
        visible = {}
        if view is not None and latest:
            told = told_since(record_type, latest, viewer, webhook.cursor)
            visible = {obj.pk: obj for obj in view.get_queryset().filter(pk__in=told)}
        for pk, row in latest.items():
            if pk not in visible:
                continue
            event = "created" if row["history_type"] == "+" else "updated"
            data = view.get_serializer(visible[pk]).data
            created += _add(webhook, row, record_type, pk, event, data)
        for stone in finder.for_type(record_type):
            if stone.at >= until:
                continue  # too recent: the next run, whose window holds it, sends it
            row = {"history_id": f"{stone.reason}-{stone.at.timestamp()}", "history_date": stone.at}
            created += _add(webhook, row, record_type, stone.id, stone.reason, None)
    webhook.cursor = until
    webhook.save(update_fields=["cursor"])
    return created


def told_since(record_type, pks, viewer, since):
    """Of the records ``pks``, those whose changes since ``since`` include one ``viewer`` may
    be told of, by the change feed's levels (exchange/changes.py): a change only monitors see
    (a review note) leaves a history row, yet sends a partner nothing."""
    level = level_for(viewer)
    return set(
        Change.objects.filter(type=record_type, record_id__in=pks, at__gte=since)
        .filter(Q(level_before__lte=level) | Q(level_after__lte=level))
        .values_list("record_id", flat=True)
    )


def _add(webhook, row, record_type, record_id, event, data):
    key = f"{record_type}:{record_id}:{row['history_id']}"
    payload = {
        "id": key,
        "event": event,
        "type": record_type,
        "record_id": record_id,
        "occurred_at": row["history_date"].isoformat(),
        "data": data,
    }
    try:
        with transaction.atomic():
            WebhookDelivery.objects.create(
                webhook=webhook,
                idempotency_key=key,
                event=event,
                record_type=record_type,
                record_id=record_id,
                payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
            )
    except IntegrityError:
        return 0
    return 1


def sign(secret, timestamp, body):
    """``sha256=<hex>``: HMAC-SHA256 of ``"<timestamp>.<body>"`` with the webhook's secret."""
    message = f"{timestamp}.".encode() + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts):
    """Seconds to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min, … at most 6 h."""
    return min(30 * 2 ** (attempts - 1), 6 * 3600)


def reason_to_cancel(delivery):
    """Why ``delivery`` must not go out any more, or "" when it may.

    Checked before every attempt: a delivery waits in the outbox (retries back off for hours),
    and meanwhile the webhook may be switched off, the partner deactivated or the record hidden.
    """
    webhook = delivery.webhook
    if not webhook.is_active:
        return "The webhook is switched off."
    if not webhook.partner.is_active:
        return "The partner organisation is deactivated."
    if delivery.event in EVENTS_WITH_DATA:
        request = SimpleNamespace(user=PartnerPrincipal(webhook.partner), query_params={})
        view = detail_view(delivery.record_type, request)
        if view is None or not view.get_queryset().filter(pk=delivery.record_id).exists():
            return "The record is no longer visible to the partner."
    return ""


def _post(url, body, headers, timeout):
    """POST ``body`` to ``url`` and return the status code. Only to public addresses (checked
    on the address actually connected to), and redirects are never followed: the answer's
    body is not read, so nothing the destination says reaches the workspace."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        connection = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout)
    elif parts.scheme == "http" and settings.WEBHOOK_ALLOW_HTTP:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    else:
        raise DestinationRefused("only https:// is allowed")
    connection._create_connection = connect_public
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request("POST", path, body=body, headers=headers)
        return connection.getresponse().status
    finally:
        connection.close()


def deliver(delivery, timeout=10):
    """Send one delivery and record the outcome. Returns the new status."""
    webhook = delivery.webhook
    reason = reason_to_cancel(delivery)
    if reason:
        delivery.status = DeliveryStatus.CANCELLED
        delivery.last_error = reason
        delivery.save()
        return delivery.status
    body = json.dumps(delivery.payload, ensure_ascii=False, sort_keys=True).encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Tracker-Delivery": delivery.idempotency_key,
        "X-Tracker-Timestamp": timestamp,
        "X-Tracker-Signature": sign(webhook.secret, timestamp, body),
    }
    delivery.attempts += 1
    retry = False
    try:
        status = _post(webhook.url, body, headers, timeout)
    except DestinationRefused as error:
        # Not a fault retrying can fix: the partner must change the URL.
        delivery.last_status_code = None
        delivery.last_error = str(error)[:500]
    except (http.client.HTTPException, TimeoutError, OSError) as error:
        delivery.last_status_code = None
        delivery.last_error = (str(error) or type(error).__name__)[:500]
        retry = True
    else:
        delivery.last_status_code = status
        if 200 <= status < 300:
            delivery.status = DeliveryStatus.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.last_error = ""
        elif 300 <= status < 400:
            delivery.last_error = f"HTTP {status} (redirects are not followed)"
        else:
            delivery.last_error = f"HTTP {status}"
            retry = status >= 500 or status in RETRYABLE_STATUS
    if delivery.status != DeliveryStatus.DELIVERED:
        if retry and delivery.attempts < settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = DeliveryStatus.PENDING
            delivery.next_attempt_at = timezone.now() + datetime.timedelta(
                seconds=backoff(delivery.attempts)
            )
        else:
            # A 4xx other than the retryable ones cannot be fixed by retrying.
            delivery.status = DeliveryStatus.FAILED
    delivery.save()
    return delivery.status
