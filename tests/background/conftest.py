"""Fixtures for the background work: a local HTTP server standing in for a partner's webhook
endpoint, the partner with its API token, and a media folder of its own for export files."""

import http.server
import threading
from dataclasses import dataclass

import pytest
from django.core.cache import cache

from partners.models import ApiToken, Webhook
from tests.api.helpers import client_with_token, staff_api
from tests.factories import PartnerFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Export files land in the test's own folder, not in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def full_throttle_budget():
    """API throttle counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class Received:
    path: str
    headers: object  # email.message.Message: header names are case-insensitive
    body: bytes


class Receiver:
    """A webhook endpoint on 127.0.0.1 (random port), in a thread: it records every request
    and answers each with the next status of ``statuses`` (200 once that list is empty)."""

    def __init__(self):
        self.requests = []
        self.statuses = []
        self.location = None  # sent as Location when set (to test redirects)
        self.body = b""  # the body of every answer
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(Received(self.path, self.headers, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                self.send_header("Content-Length", str(len(receiver.body)))
                self.end_headers()
                self.wfile.write(receiver.body)

            def log_message(self, format, *args):
                pass  # keep the test output quiet

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/tracker"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    endpoint = Receiver()
    yield endpoint
    endpoint.close()


@pytest.fixture
def partner_org(db):
    return PartnerFactory(name="Friendly NGO")


@pytest.fixture
def webhook(partner_org, receiver, settings):
    """The partner's webhook, pointing at the local receiver (plain http and a loopback
    address, both allowed for tests only). Its cursor is the moment it is made: it collects
    the changes made after that."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_DESTINATIONS = True
    hook = Webhook(partner=partner_org, url=receiver.url)
    hook.full_clean()
    hook.save()
    return hook


@pytest.fixture
def partner_api(partner_org):
    _, secret = ApiToken.issue(name="nightly sync", partner=partner_org)
    return client_with_token(secret)


@pytest.fixture
def other_partner_api(db):
    _, secret = ApiToken.issue(name="another sync", partner=PartnerFactory(name="Other NGO"))
    return client_with_token(secret)


@pytest.fixture
def monitor_api(monitor):
    return staff_api(monitor)
