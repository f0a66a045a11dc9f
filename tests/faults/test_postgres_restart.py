"""PostgreSQL restarts while visitors and API clients keep asking: gunicorn answers every
request with the page (200) or a plain 503 with Retry-After, never a 500 or a dropped
connection, and once the database is back the very next request succeeds — each worker's
persistent connection (CONN_MAX_AGE) died in the restart, and CONN_HEALTH_CHECKS replaces it.
"""

import threading
import time

import pytest
from django.db import connection

from core.visibility import Visibility
from tests.factories import CaseFactory

from .helpers import get, restart_cluster

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.faults,
]

PATHS = ["/cases/", "/api/v1/cases/"]
BEFORE_SECONDS = 4  # requests flow before the restart …
AFTER_SECONDS = 8  # … and after it
PAUSE = 0.02  # between requests: a steady flow, not a flood of error logs


class Client(threading.Thread):
    """GETs ``PATHS`` in turn until stopped, keeping every answer."""

    def __init__(self, port):
        super().__init__(daemon=True)
        self.port = port
        self.answers = []
        self.halt = threading.Event()

    def run(self):
        index = 0
        while not self.halt.is_set():
            self.answers.append(get(self.port, PATHS[index % len(PATHS)]))
            index += 1
            time.sleep(PAUSE)

    def stop(self):
        self.halt.set()
        self.join(timeout=60)


def summary(answers):
    counts = {}
    for answer in answers:
        counts[answer.outcome] = counts.get(answer.outcome, 0) + 1
    return counts


def other_connections():
    """How many connections to the test database other than this process's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def warm_pair(port):
    """Two requests at the same moment; their outcomes."""
    outcomes = []
    pair = [
        threading.Thread(target=lambda path=path: outcomes.append(get(port, path).outcome))
        for path in PATHS
    ]
    for thread in pair:
        thread.start()
    for thread in pair:
        thread.join(timeout=60)
    return outcomes


def test_requests_get_200_or_503_while_postgresql_restarts_and_200_once_it_is_back(
    postgres_cluster, start_gunicorn
):
    CaseFactory(title="Trial of the union leaders", visibility=Visibility.PUBLIC)
    server = start_gunicorn()
    client = Client(server.port)
    client.start()
    try:
        time.sleep(BEFORE_SECONDS)
        restart_cluster(postgres_cluster)
        back = time.monotonic()  # pg_ctlcluster returns once the cluster accepts connections
        time.sleep(AFTER_SECONDS)
    finally:
        client.stop()
        connection.close()  # this process's connection died too; the teardown reconnects
    answers = client.answers
    unavailable = [a for a in answers if a.status == 503]
    after = [a for a in answers if a.began >= back]

    # Throughout: the page or a plain 503 (no 500, no connection reset by gunicorn) …
    wrong = [(a.path, a.outcome) for a in answers if a.outcome not in (200, 503)]
    assert wrong == [], summary(answers)
    # … a 503 tells the client when to come back and names nothing internal …
    assert all(a.headers.get("retry-after") == "30" for a in unavailable)
    assert not [a.body for a in unavailable if b"psycopg" in a.body.lower()]
    # … and once PostgreSQL is back, every request succeeds.
    assert len(after) > 20, summary(answers)
    assert summary(after) == {200: len(after)}


def test_after_a_restart_while_idle_the_first_requests_reconnect_instead_of_failing(
    postgres_cluster, start_gunicorn
):
    # Both workers hold a persistent connection (CONN_MAX_AGE), which the restart kills
    # while nobody asks; without CONN_HEALTH_CHECKS each worker's next request would fail on
    # its dead connection.
    CaseFactory(title="Trial of the union leaders", visibility=Visibility.PUBLIC)
    server = start_gunicorn()
    # Sequential requests may all land on one worker: ask in pairs at once, so the busy
    # worker leaves the next one to the other, until each worker holds its connection.
    warm = []
    deadline = time.monotonic() + 30
    while other_connections() < 2 and time.monotonic() < deadline:
        warm += warm_pair(server.port)
    assert warm and set(warm) == {200}, warm
    assert other_connections() == 2  # one per gunicorn worker: the precondition holds

    restart_cluster(postgres_cluster)
    connection.close()  # this process's connection died too
    answers = [get(server.port, PATHS[i % len(PATHS)]) for i in range(20)]

    assert [a.outcome for a in answers] == [200] * 20, [a.body[:200] for a in answers]
