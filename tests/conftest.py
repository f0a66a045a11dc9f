import socket
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import roles

from .factories import UserFactory


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


@pytest.fixture
def transactional_db(django_db_serialized_rollback, transactional_db):
    """Every test that commits (live servers, real workers, restarts) restores the database as
    migrations left it (groups, provinces, rules), so that such tests can run in any order in
    one session: mixing serialized and plain flushes would re-create content types under new
    ids and break the next restore."""
    return transactional_db


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
