import os
import socket
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings
from rest_framework.test import APIClient

from core import roles
from partners.models import ApiToken, Partner

from .api.helpers import client_with_token, staff_api
from .factories import UserFactory

# --- Workers (pytest-xdist) -----------------------------------------------------------------------
# `make test` runs the suite on several workers, one test file per worker (``--dist
# loadfile``: a file's module fixtures, such as the browser tests' seeded rows, are built once).
# On SQLite each worker has its own database file. On PostgreSQL each worker needs a server of
# its own, not only a database: the change feed serves only entries below the server-wide
# horizon of open transactions (exchange/changes.py), so one worker's open test transaction
# would hold back the other's entries. TEST_POSTGRES_PORTS lists the local servers (.ci/run
# starts a second one); without it the suite runs on one worker.


def _postgres_ports():
    return [port for port in os.environ.get("TEST_POSTGRES_PORTS", "").split(",") if port]


def pytest_xdist_auto_num_workers(config):
    """``-n auto``: both cores on SQLite; on PostgreSQL, one worker per server given."""
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return max(1, len(_postgres_ports()))
    return min(2, os.cpu_count() or 1)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Worker N's test database lives on the N-th server of TEST_POSTGRES_PORTS."""
    from django.conf import settings
    from django.db import connections

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    ports = _postgres_ports()
    database = settings.DATABASES["default"]
    if worker.startswith("gw") and ports and database["ENGINE"].endswith("postgresql"):
        database["PORT"] = ports[int(worker[2:]) % len(ports)]
        connections.close_all()


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Passwords are hashed with MD5 in tests: the real hasher (PBKDF2, a million rounds) costs
    about a second per user made or password checked, and its cost is not under test. Every
    test still sets and checks real passwords through Django's hashing API."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(scope="session", autouse=True)
def documents_storage(tmp_path_factory):
    """Document files written by the tests go to a temporary folder, never to ``var/``."""
    from django.conf import settings

    storages = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))},
        },
    }
    with override_settings(STORAGES=storages):
        yield


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def partner(db):
    return UserFactory(role=roles.PARTNER)


@pytest.fixture
def monitor(db):
    return UserFactory(role=roles.MONITOR)


@pytest.fixture
def editor(db):
    return UserFactory(role=roles.EDITOR)


@pytest.fixture(scope="session", autouse=True)
def restore_after_committing_tests():
    """A committing test ends with a flush, and Django puts the migrated rows (content types,
    groups, provinces, rules, the checklist) back only when the next such test starts. One
    process runs committing tests last, but a worker of ``make test`` runs whole files in any
    order, so a test that does not commit may come next and find the database empty: restore
    right after the flush instead. Ids are the serialized ones, so caches stay right."""
    from django.db import connections
    from django.test import TransactionTestCase

    flush = TransactionTestCase._fixture_teardown

    def flush_then_restore(self):
        flush(self)
        if not self.serialized_rollback:
            return
        for name in self._databases_names(include_mirrors=False):
            connection = connections[name]
            if hasattr(connection, "_test_serialized_contents"):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(TransactionTestCase, "_fixture_teardown", flush_then_restore)
        yield


@pytest.fixture
def transactional_db(django_db_serialized_rollback, transactional_db):
    """Every test that commits (live servers, real workers, restarts) restores the database as
    migrations left it (groups, provinces, rules), so that such tests can run in any order in
    one session: mixing serialized and plain flushes would re-create content types under new
    ids and break the next restore."""
    return transactional_db


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts and ends in the site's default language. A request for a Khmer page
    leaves Khmer active in the thread (LocaleMiddleware does not reset it), and a command run
    by a later test on the same worker would then speak Khmer."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def read_cache(request, settings):
    """Every test starts with an empty cache (the API's throttle counters live there: a long
    run of anonymous requests would end in 429s). Cached reads are keyed on a counter that
    moves when a transaction commits, which the tests' rolled-back transactions never do: only
    tests marked ``read_cache`` (which commit, or run the commit hooks) use them."""
    from django.core.cache import cache

    settings.READ_CACHE_SECONDS = 600 if "read_cache" in request.keywords else 0
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anonymous_api():
    return APIClient()


@pytest.fixture
def partner_org(db):
    return Partner.objects.create(name="Friendly NGO")


@pytest.fixture
def partner_token(partner_org):
    """(token, secret) for a partner organisation."""
    return ApiToken.issue(name="nightly sync", partner=partner_org)


@pytest.fixture
def partner_api(partner_token):
    return client_with_token(partner_token[1])


@pytest.fixture
def monitor_api(monitor):
    return staff_api(monitor)


@pytest.fixture
def editor_api(editor):
    return staff_api(editor)


@pytest.fixture
def api_as(request):
    """``api_as("anonymous")`` → the client of that kind of caller, for parametrized tests."""
    return lambda caller: request.getfixturevalue(f"{caller}_api")


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Unit tests run tasks in-process, even where CELERY_BROKER_URL names a real broker (CI);
    tests marked ``redis`` talk to the real broker and a real worker."""
    from cambodia_tracker.celery import app

    if "redis" in request.keywords:
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def pytest_collection_modifyitems(config, items):
    """Skip, with the reason, tests whose service is not there; never pass them silently."""
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(
            reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI always does)"
        )
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)

    if any("redis" in item.keywords for item in items):
        host, port = redis_address()
        if not reachable(host, port):
            skip = pytest.mark.skip(
                reason=f"needs Redis: nothing answers at {host}:{port} "
                "(start redis-server or set CELERY_BROKER_URL=redis://…)"
            )
            for item in items:
                if "redis" in item.keywords:
                    item.add_marker(skip)


def redis_broker_url():
    """The broker the ``redis`` tests use: CELERY_BROKER_URL where it names a Redis (CI),
    else database 15 of a local Redis, which nothing else uses."""
    from django.conf import settings

    url = settings.CELERY_BROKER_URL
    return url if url.startswith("redis://") else "redis://127.0.0.1:6379/15"


def redis_address():
    parts = urlsplit(redis_broker_url())
    return parts.hostname or "127.0.0.1", parts.port or 6379


def reachable(host, port, timeout=0.5):
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError:
        return False
    return True
