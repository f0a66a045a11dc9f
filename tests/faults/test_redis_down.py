"""Redis (the Celery broker) stops: pages and the API keep answering, an export asked for is
accepted at once and waits in the database, /readyz takes the instance out of rotation, and
once Redis is back the sweeper gets the export made.
"""

import json
import time

import pytest

from cases.models import ExportJob, ExportStatus
from core.visibility import Visibility
from exchange.tasks import requeue_stale_exports
from partners.models import ApiToken
from tests.factories import CaseFactory, PartnerFactory

from .helpers import get, request, start_redis, stop_redis

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.faults,
]


@pytest.fixture
def server(redis_control, start_gunicorn):
    """gunicorn whose tasks go to the local Redis, with a public case to show."""
    CaseFactory(title="Trial of the union leaders", visibility=Visibility.PUBLIC)
    return start_gunicorn(CELERY_BROKER_URL=redis_control)


@pytest.fixture
def partner_token(transactional_db):
    _, secret = ApiToken.issue(name="nightly sync", partner=PartnerFactory(name="Friendly NGO"))
    return secret


def ask_for_export(port, token):
    return request(
        port,
        "POST",
        "/api/v1/export-jobs/",
        body=json.dumps({"export_type": "cases", "export_format": "json"}),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )


def test_pages_and_the_api_answer_while_redis_is_down(server):
    stop_redis()

    answers = {path: get(server.port, path).outcome for path in ["/cases/", "/api/v1/cases/"]}

    assert answers == {"/cases/": 200, "/api/v1/cases/": 200}


def test_an_export_asked_for_while_redis_is_down_is_accepted_at_once_and_stays_queued(
    server, partner_token
):
    stop_redis()

    answer = ask_for_export(server.port, partner_token)

    assert answer.status == 202, answer.body
    assert answer.seconds < 5
    job = ExportJob.objects.get(pk=json.loads(answer.body)["id"])
    assert job.status == ExportStatus.QUEUED


def test_readyz_answers_503_with_retry_after_while_redis_is_down_and_200_once_it_is_back(
    server,
):
    assert get(server.port, "/readyz").status == 200
    stop_redis()

    down = get(server.port, "/readyz")
    start_redis()
    back = get(server.port, "/readyz")

    assert (down.status, down.headers.get("retry-after")) == (503, "30")
    assert down.seconds < 5  # within a load balancer's health-check timeout
    assert json.loads(down.body)["checks"] == {"database": "ok", "broker": "down"}
    assert back.status == 200


@pytest.fixture
def eager():
    """Tasks run in this process (the test is marked redis, so they would go to the broker)."""
    from cambodia_tracker.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_an_export_left_queued_by_the_outage_is_made_once_redis_is_back(
    server, partner_token, eager
):
    stop_redis()
    job_id = json.loads(ask_for_export(server.port, partner_token).body)["id"]
    start_redis()

    # What beat runs every 5 minutes; run_export runs here, in this process.
    time.sleep(0.1)  # the job must be older than the cut-off
    requeue_stale_exports(older_than_seconds=0)

    job = ExportJob.objects.get(pk=job_id)
    assert job.status == ExportStatus.DONE
    assert json.loads(job.file.read())[0]["title"] == "Trial of the union leaders"
