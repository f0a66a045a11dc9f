"""With a real Redis broker and a real Celery worker (a subprocess working on the test
database), the work the web process queues is done: webhooks reach the partner signed, exports
are made, the detention clock raises its alerts and emails them.

Skipped, with the reason, without PostgreSQL (the worker needs a database it can share with
the test) or without a reachable Redis (tests/conftest.py).
"""

import datetime
import hashlib
import hmac
import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases.models import ExportJob, ExportStatus, OffenceClass
from core import roles
from core.visibility import Visibility
from defendants.models import DetentionAlert
from defendants.tasks import check_detention_limits
from exchange.tasks import collect_webhook_events, deliver_webhook
from following.models import Follow
from following.tasks import send_follow_alerts
from hearings.models import Hearing, HearingKind
from hearings.services import hearing_log
from partners.models import DeliveryStatus, WebhookDelivery
from tests.conftest import redis_broker_url
from tests.factories import (
    ArticleFactory,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
    UserFactory,
    cited_to_a_report,
)

from .helpers import celery_broker

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.redis,
    pytest.mark.postgres,
]

WAIT_SECONDS = 30


def database_url(db):
    """The test database, as a DATABASE_URL the worker's settings read."""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "", safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


class Worker:
    def __init__(self, log_path, env):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "cambodia_tracker",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    "-Q",
                    "celery",
                    "--loglevel=INFO",
                    "--without-gossip",
                    "--without-mingle",
                    "--without-heartbeat",
                    f"--hostname=tests-{os.getpid()}@%h",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_for(self, condition, what):
        """Poll ``condition`` until it returns something true; fail after WAIT_SECONDS."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited before {what}:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"no {what} within {WAIT_SECONDS} s; worker output:\n{self.output()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # warm shutdown: a task under way finishes first
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


@pytest.fixture
def worker(transactional_db, media_root, tmp_path):
    """A real worker on the test database and the test broker, stopped after the test; its
    output is printed at teardown, which pytest shows when the test failed."""
    broker = redis_broker_url()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(connection.settings_dict),
        "CELERY_BROKER_URL": broker,
        "DEBUG": "true",
        "MEDIA_ROOT": str(media_root),
        # Collect what was committed up to now: the test does not wait out the lag.
        "WEBHOOK_COLLECT_LAG_SECONDS": "0",
        # The receiver listens on 127.0.0.1, which webhooks may not reach outside tests.
        "WEBHOOK_ALLOW_PRIVATE_DESTINATIONS": "true",
    }
    worker = Worker(tmp_path / "worker.log", env)
    try:
        worker.wait_for(lambda: " ready." in worker.output(), "ready worker")
        yield worker
    finally:
        worker.stop()
        print(f"--- celery worker output ---\n{worker.output()}")


@pytest.fixture
def real_broker(monkeypatch):
    """Tasks queued by the test process go to the test broker, not run in-process."""
    with celery_broker(redis_broker_url(), monkeypatch):
        yield


def test_a_partners_webhook_receives_a_signed_update_after_a_monitor_logs_a_hearing(
    worker, real_broker, receiver, webhook
):
    case = CaseFactory(visibility=Visibility.PUBLIC)
    webhook.cursor = timezone.now()
    webhook.save()
    hearing = Hearing(court=case.court, date=timezone.localdate(), kind=HearingKind.TRIAL)
    hearing_log(
        case=case,
        hearing=hearing,
        visibility=Visibility.PARTNERS,
        citation=cited_to_a_report(visibility=Visibility.MONITORS),
    )

    collect_webhook_events.delay()
    delivery = worker.wait_for(
        lambda: WebhookDelivery.objects.filter(record_type="hearings").first(), "delivery"
    )
    deliver_webhook.delay(delivery.pk)
    worker.wait_for(
        lambda: WebhookDelivery.objects.filter(
            pk=delivery.pk, status=DeliveryStatus.DELIVERED
        ).exists(),
        "delivered delivery",
    )

    [request] = receiver.requests
    body = json.loads(request.body)
    assert (body["type"], body["record_id"], body["event"]) == ("hearings", hearing.pk, "created")
    assert request.headers["X-Tracker-Delivery"] == delivery.idempotency_key
    signed = request.headers["X-Tracker-Timestamp"].encode() + b"." + request.body
    expected = hmac.new(webhook.secret.encode(), signed, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(request.headers["X-Tracker-Signature"], f"sha256={expected}")


def test_an_export_a_partner_asks_for_is_made_by_the_worker(worker, real_broker, partner_api):
    public = CaseFactory(visibility=Visibility.PUBLIC)
    CaseFactory(visibility=Visibility.MONITORS)

    response = partner_api.post(
        "/api/v1/export-jobs/", {"export_type": "cases", "export_format": "json"}, format="json"
    )

    assert response.status_code == 202
    job_id = response.json()["id"]
    worker.wait_for(
        lambda: ExportJob.objects.filter(pk=job_id, status=ExportStatus.DONE).exists(),
        "finished export",
    )
    download = partner_api.get(f"/api/v1/export-jobs/{job_id}/download/")
    records = json.loads(b"".join(download.streaming_content))
    assert [r["id"] for r in records] == [public.pk]


def test_the_worker_raises_a_detention_alert_and_emails_the_monitor(worker, real_broker):
    monitor = UserFactory(role=roles.MONITOR, email="sokha@example.org")
    charge = ChargeFactory(
        defendant__name="Koeut Saray",
        article=ArticleFactory(offence_class=OffenceClass.MISDEMEANOUR),
    )
    charge.case.assigned_monitors.add(monitor)
    CustodyPeriodFactory(
        defendant=charge.defendant, case=charge.case, start=datetime.date(2024, 1, 10)
    )

    check_detention_limits.delay("2024-05-01")

    alert = worker.wait_for(
        lambda: DetentionAlert.objects.filter(notified_at__isnull=False).first(), "emailed alert"
    )
    assert (alert.kind, alert.limit_date) == ("approaching", datetime.date(2024, 5, 10))
    # DEBUG=true: the worker's email backend writes the email to its output.
    worker.wait_for(lambda: "To: sokha@example.org" in worker.output(), "email in the output")


def test_a_reader_follows_a_case_and_the_worker_mails_confirmation_change_and_unsubscribe(
    worker, real_broker, client
):
    case = CaseFactory(title="Trial of the lake defenders", visibility=Visibility.PUBLIC)

    client.post(f"/cases/{case.pk}/follow/", {"email": "reader@example.org"})
    # DEBUG=true: the worker's email backend writes each mail to its output.
    worker.wait_for(lambda: "/follow/confirm/" in worker.output(), "confirmation mail")
    confirm = re.search(r"http://\S+(/follow/confirm/\S+/)", worker.output()).group(1)
    client.post(confirm)
    HearingFactory(case=case, visibility=Visibility.PUBLIC)
    send_follow_alerts.delay()
    worker.wait_for(lambda: "was updated" in worker.output(), "change mail")
    unsubscribe = re.search(r"open:\nhttp://\S+(/follow/unsubscribe/\S+/)", worker.output())
    client.post(unsubscribe.group(1))

    assert not Follow.objects.exists()
    assert worker.output().count("To: reader@example.org") == 2
