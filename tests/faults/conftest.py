"""Fixtures for the fault tests: a real gunicorn on the test database, and the local PostgreSQL
cluster and Redis, which the tests stop and start. Each fixture skips its test, with the
reason, when the machine cannot do what it needs (not root, no pg_ctlcluster, no Redis)."""

import pytest
from django.core.cache import cache
from django.db import connection

from tests.conftest import redis_broker_url

from .helpers import (
    Gunicorn,
    collect_static,
    database_url,
    local_cluster,
    redis_control_problem,
    server_environment,
    start_cluster_if_down,
    start_redis,
)


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


@pytest.fixture(scope="session")
def static_root(tmp_path_factory):
    """Static files collected once: pages rendered with DEBUG off name the hashed files."""
    root = tmp_path_factory.mktemp("faults-static")
    collect_static(root)
    return root


@pytest.fixture
def start_gunicorn(transactional_db, static_root, media_root, tmp_path):
    """``start_gunicorn(**env)``: gunicorn (2 workers, production settings) on the test
    database, ready to answer. Stopped after the test; its output is printed at teardown,
    which pytest shows when the test failed."""
    started = []

    def start(**env):
        environment = server_environment(
            DATABASE_URL=database_url(connection.settings_dict),
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(media_root),
            # Persistent connections, so that a restart of PostgreSQL leaves each worker
            # holding a dead one: CONN_HEALTH_CHECKS must notice and reconnect.
            CONN_MAX_AGE="60",
            **env,
        )
        server = Gunicorn(tmp_path / f"gunicorn-{len(started)}.log", environment)
        started.append(server)
        server.wait_until_ready()
        return server

    yield start
    for server in started:
        server.stop()
        print(f"--- gunicorn output ({server.log_path}) ---\n{server.output()}")


@pytest.fixture
def postgres_cluster(transactional_db):
    """The local cluster serving the test database, which the test may restart. Afterwards it
    is running again, and this process's own connection is a new one."""
    cluster, reason = local_cluster(connection.settings_dict)
    if cluster is None:
        pytest.skip(reason)
    yield cluster
    start_cluster_if_down(cluster)
    connection.close()  # the restart cut it; the next query (teardown's flush) reconnects


@pytest.fixture
def redis_broker():
    """The Redis broker's URL (the ``redis`` marker skips the test when nothing answers)."""
    return redis_broker_url()


@pytest.fixture
def redis_control(redis_broker):
    """The local Redis, which the test may stop: it runs again afterwards whatever happened."""
    reason = redis_control_problem(redis_broker)
    if reason:
        pytest.skip(reason)
    yield redis_broker
    start_redis()
