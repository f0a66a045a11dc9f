"""A Celery worker's process is killed (SIGKILL, as the OOM killer does) in the middle of a task.

The worker runs with prefork and acks late, and a task whose process dies is rejected back to
the queue (CELERY_TASK_REJECT_ON_WORKER_LOST): the worker's main process forks a new pool
process, which runs the task again. Delivery is at least once, so the partner receives the
webhook twice with the same idempotency key, and the database records it delivered once; the
detention clock, killed while emailing, raises one alert and sends one email.

What a kill looks like from the outside: the task is held up talking to a server on 127.0.0.1
(a partner's webhook endpoint that takes 5 s to answer the first request; a mail server that
does not greet the first client), and the test kills the pool process once that server has
seen the task arrive, so the kill is always mid-task.
"""

import contextlib
import datetime
import http.server
import json
import os
import signal
import socketserver
import threading
import time
import uuid
from pathlib import Path

import kombu
import pytest
import redis
from django.db import connection

from cases.models import OffenceClass
from core import roles
from core.visibility import Visibility
from defendants.models import DetentionAlert
from partners.models import DeliveryStatus, Webhook, WebhookDelivery
from tests.factories import (
    ArticleFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    PartnerFactory,
    UserFactory,
    WebhookDeliveryFactory,
)

from .helpers import celery_worker, database_url, server_environment, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.faults,
]

WAIT_SECONDS = 30
SLOW_ANSWER_SECONDS = 5


# --- Servers the worker talks to ---------------------------------------------------------------


class SlowReceiver:
    """A partner's webhook endpoint on 127.0.0.1: it records every request as it arrives and
    answers 200, the first one only after SLOW_ANSWER_SECONDS."""

    def __init__(self):
        self.requests = []  # (X-Tracker-Delivery, body) in order of arrival
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append((self.headers["X-Tracker-Delivery"], body))
                if len(receiver.requests) == 1:
                    time.sleep(SLOW_ANSWER_SECONDS)
                with contextlib.suppress(OSError):  # the sender may have died meanwhile
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            def log_message(self, format, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/tracker"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class MailServer:
    """A minimal SMTP server on 127.0.0.1 that keeps the messages it accepts. It does not greet
    its first client until that client has gone (or SLOW_ANSWER_SECONDS have passed)."""

    def __init__(self):
        self.connections = 0
        self.messages = []  # (recipients, data)
        mail = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self):
                mail.connections += 1
                if mail.connections == 1:
                    self.request.settimeout(SLOW_ANSWER_SECONDS)
                    with contextlib.suppress(OSError):
                        self.request.recv(1)  # returns b"" as soon as the client dies
                    return
                self.converse()

            def reply(self, line):
                self.wfile.write(line.encode() + b"\r\n")

            def converse(self):
                self.reply("220 faults.test ESMTP")
                recipients = []
                for raw in self.rfile:
                    command = raw.decode(errors="replace").strip()
                    verb = command[:4].upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250 faults.test")
                    elif verb == "MAIL":
                        recipients = []
                        self.reply("250 OK")
                    elif verb == "RCPT":
                        recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                        self.reply("250 OK")
                    elif verb == "DATA":
                        self.reply("354 End data with <CR><LF>.<CR><LF>")
                        lines = []
                        for line in self.rfile:
                            if line in (b".\r\n", b".\n"):
                                break
                            lines.append(line)
                        mail.messages.append((recipients, b"".join(lines)))
                        self.reply("250 OK: queued")
                    elif verb == "QUIT":
                        self.reply("221 Bye")
                        return
                    else:
                        self.reply("250 OK")  # RSET, NOOP

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    endpoint = SlowReceiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.close()


# --- The worker ---------------------------------------------------------------------------------


@pytest.fixture
def queue(redis_broker):
    """A queue of this test's own, so that no other worker on the broker takes its tasks;
    its keys are removed from Redis afterwards."""
    name = f"faults-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    yield name
    client = redis.Redis.from_url(redis_broker)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    # A message taken by a worker killed outright waits, unacknowledged, for Redis's
    # visibility timeout (an hour) before any worker gets it again: drop this test's.
    for tag, value in client.hgetall("unacked").items():
        if json.loads(value)[2] == name:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    for member in client.smembers("_kombu.binding.celery.pidbox"):
        if name.encode() in member:
            client.srem("_kombu.binding.celery.pidbox", member)


@pytest.fixture
def start_worker(redis_broker, queue, mail_server, media_root, tmp_path):
    """``start_worker()``: a prefork worker (one pool process) on the test database and this
    test's queue, ready; stopped after the test, its output printed at teardown."""
    own = os.getpid()
    if not Path(f"/proc/{own}/task/{own}/children").exists():
        pytest.skip("finding the pool process to kill needs Linux's /proc/<pid>/task/*/children")
    environment = server_environment(
        DATABASE_URL=database_url(connection.settings_dict),
        CELERY_BROKER_URL=redis_broker,
        MEDIA_ROOT=str(media_root),
        WEBHOOK_ALLOW_HTTP="true",
        WEBHOOK_ALLOW_PRIVATE_DESTINATIONS="true",  # the receiver listens on 127.0.0.1
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
        LOG_FORMAT="plain",
    )
    started = []

    def start():
        process = celery_worker(tmp_path / f"worker-{len(started)}.log", environment, queue)
        started.append(process)
        wait_for(lambda: " ready." in process.output(), "ready worker", 60, process=process)
        return process

    yield start
    for process in started:
        process.stop()
        print(f"--- celery worker output ({process.log_path.name}) ---\n{process.output()}")


@pytest.fixture
def worker(start_worker):
    return start_worker()


def send(broker, queue, task, *args):
    """Queue ``task`` on this test's queue of the real broker (never run in this process)."""
    from cambodia_tracker.celery import app

    with kombu.Connection(broker) as broker_connection:
        app.send_task(task, args=list(args), queue=queue, connection=broker_connection)


def kill_the_pool_process(worker):
    [child] = worker.children()  # concurrency 1: one pool process, running the task
    os.kill(child, signal.SIGKILL)
    return child


# --- Tests ----------------------------------------------------------------------------------------


@pytest.fixture
def pending_delivery(receiver, transactional_db):
    webhook = Webhook.objects.create(partner=PartnerFactory(name="Friendly NGO"), url=receiver.url)
    return WebhookDeliveryFactory(webhook=webhook, idempotency_key="hearing:7:4242")


def test_a_webhook_delivery_killed_in_flight_is_sent_again_and_recorded_delivered_once(
    worker, queue, redis_broker, receiver, pending_delivery
):
    send(redis_broker, queue, "partners.tasks.deliver_webhook", pending_delivery.pk)
    wait_for(lambda: receiver.requests, "request at the receiver", WAIT_SECONDS, worker)

    killed = kill_the_pool_process(worker)
    wait_for(
        lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
        "delivered delivery",
        WAIT_SECONDS,
        worker,
    )

    assert f"pid:{killed} exited with 'signal 9 (SIGKILL)'" in worker.output()
    # At least once: the partner saw the same delivery twice and drops the second by its key.
    assert [key for key, _ in receiver.requests] == ["hearing:7:4242", "hearing:7:4242"]
    delivered = WebhookDelivery.objects.get()
    assert (delivered.pk, delivered.status) == (pending_delivery.pk, DeliveryStatus.DELIVERED)


@pytest.fixture
def detained(transactional_db):
    """A person held before trial since 2024-01-10 on a misdemeanour charge (the limit falls
    on 2024-05-10), whose case a monitor with an email address follows."""
    monitor = UserFactory(role=roles.MONITOR, email="sokha@example.org")
    charge = ChargeFactory(
        defendant__name="Koeut Saray",
        article=ArticleFactory(offence_class=OffenceClass.MISDEMEANOUR),
        visibility=Visibility.PUBLIC,
    )
    charge.case.assigned_monitors.add(monitor)
    CustodyPeriodFactory(
        defendant=charge.defendant, case=charge.case, start=datetime.date(2024, 1, 10)
    )
    return charge.defendant


def test_the_detention_clock_killed_while_emailing_raises_one_alert_and_sends_one_email(
    worker, queue, redis_broker, mail_server, detained
):
    send(redis_broker, queue, "defendants.tasks.check_detention_limits", "2024-05-01")
    wait_for(lambda: mail_server.connections, "connection to the mail server", WAIT_SECONDS)
    # The alert is committed before the email is sent; it is not yet marked as emailed.
    assert DetentionAlert.objects.filter(notified_at__isnull=True).count() == 1

    killed = kill_the_pool_process(worker)
    wait_for(
        lambda: DetentionAlert.objects.filter(notified_at__isnull=False).exists(),
        "emailed alert",
        WAIT_SECONDS,
        worker,
    )

    assert f"pid:{killed} exited with 'signal 9 (SIGKILL)'" in worker.output()
    assert mail_server.connections == 2  # the task ran twice
    alert = DetentionAlert.objects.get()
    assert (alert.defendant, alert.limit_date) == (detained, datetime.date(2024, 5, 10))
    [(recipients, message)] = mail_server.messages
    assert recipients == ["sokha@example.org"]
    assert b"Koeut Saray" in message


def test_a_worker_killed_outright_leaves_the_delivery_to_the_sweeper_on_a_new_worker(
    start_worker, queue, redis_broker, receiver, pending_delivery
):
    # The whole worker dies (main and pool process, as when its container is killed): nothing
    # is left to put the task back, and Redis hands the message out again only after its
    # visibility timeout. The delivery is still pending in the database, and the sweeper,
    # which beat runs every minute, sends it from a new worker.
    first = start_worker()
    send(redis_broker, queue, "partners.tasks.deliver_webhook", pending_delivery.pk)
    wait_for(lambda: receiver.requests, "request at the receiver", WAIT_SECONDS, first)
    [child] = first.children()
    os.kill(first.pid, signal.SIGKILL)
    os.kill(child, signal.SIGKILL)
    first.process.wait(timeout=10)
    assert WebhookDelivery.objects.get().status == DeliveryStatus.PENDING

    second = start_worker()
    send(redis_broker, queue, "partners.tasks.deliver_due_webhooks")
    wait_for(
        lambda: WebhookDelivery.objects.filter(status=DeliveryStatus.DELIVERED).exists(),
        "delivered delivery",
        WAIT_SECONDS,
        second,
    )

    assert [key for key, _ in receiver.requests] == ["hearing:7:4242", "hearing:7:4242"]
    assert WebhookDelivery.objects.get().attempts == 1  # the killed attempt was rolled back
    assert "partners.tasks.deliver_webhook[" not in second.output()  # the sweeper sent it
