"""Exports as background jobs: asked for through the API (202) or the admin, made by a task,
downloaded by whoever asked only; and the request still succeeds when the broker is down, the
sweeper queueing the job once it is back."""

import csv
import datetime
import io
import json
import time
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from cases.models import ExportJob, ExportStatus
from core import roles
from core.background import queue_after_commit
from core.visibility import Visibility
from exchange.tasks import requeue_stale_exports, run_export
from tests.factories import CaseFactory, HearingFactory, UserFactory

from .helpers import unreachable_broker

pytestmark = pytest.mark.django_db

JOBS_URL = "/api/v1/export-jobs/"


@pytest.fixture
def cases(db):
    """One case at each visibility level."""
    return {level: CaseFactory(visibility=level) for level in Visibility}


def ask(api, capture, export_type="cases", export_format="json"):
    """POST an export request the way a web request does: the task is queued on commit."""
    with capture(execute=True):
        response = api.post(
            JOBS_URL, {"export_type": export_type, "export_format": export_format}, format="json"
        )
    assert response.status_code == 202, response.content
    return response.json()


def download(api, job_id):
    response = api.get(f"{JOBS_URL}{job_id}/download/")
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


# --- Asking for an export through the API ------------------------------------------------------


def test_a_partners_request_is_accepted_with_202_and_queued(
    partner_api, cases, django_capture_on_commit_callbacks
):
    with mock.patch.object(run_export, "apply_async") as queued:
        job = ask(partner_api, django_capture_on_commit_callbacks)

    assert job["status"] == "queued"
    queued.assert_called_once_with(args=(job["id"],))


def test_the_job_runs_to_the_end_and_reports_progress(
    partner_api, cases, django_capture_on_commit_callbacks
):
    job = ask(partner_api, django_capture_on_commit_callbacks)

    response = partner_api.get(f"{JOBS_URL}{job['id']}/")

    assert response.status_code == 200
    done = response.json()
    assert (done["status"], done["progress"], done["rows_done"], done["rows_total"]) == (
        "done",
        100,
        2,
        2,
    )
    assert done["download"].endswith(f"{JOBS_URL}{job['id']}/download/")


def test_the_json_file_holds_exactly_the_cases_the_partner_may_see(
    partner_api, cases, django_capture_on_commit_callbacks
):
    job = ask(partner_api, django_capture_on_commit_callbacks)

    records = json.loads(download(partner_api, job["id"]))

    assert sorted(r["id"] for r in records) == sorted(
        [cases[Visibility.PUBLIC].pk, cases[Visibility.PARTNERS].pk]
    )
    assert all("assigned_monitors" not in r and "review_note" not in r for r in records)


def test_the_csv_file_holds_exactly_the_hearings_the_partner_may_see(
    partner_api, cases, django_capture_on_commit_callbacks
):
    public, confidential = cases[Visibility.PUBLIC], cases[Visibility.MONITORS]
    seen = [
        HearingFactory(case=public, visibility=Visibility.PUBLIC),
        HearingFactory(case=cases[Visibility.PARTNERS], visibility=Visibility.PARTNERS),
    ]
    HearingFactory(case=public, visibility=Visibility.MONITORS)
    HearingFactory(case=confidential, visibility=Visibility.PUBLIC)
    job = ask(partner_api, django_capture_on_commit_callbacks, "hearings", "csv")

    rows = list(csv.DictReader(io.StringIO(download(partner_api, job["id"]).decode())))

    assert sorted(int(r["id"]) for r in rows) == sorted(h.pk for h in seen)


def test_a_partner_lists_its_own_jobs(partner_api, cases, django_capture_on_commit_callbacks):
    job = ask(partner_api, django_capture_on_commit_callbacks)

    response = partner_api.get(JOBS_URL)

    assert [j["id"] for j in response.json()] == [job["id"]]


@pytest.mark.parametrize("caller", ["other_partner_api", "monitor_api"])
def test_nobody_else_can_see_or_download_the_job(
    request, partner_api, cases, django_capture_on_commit_callbacks, caller
):
    job = ask(partner_api, django_capture_on_commit_callbacks)
    someone_else = request.getfixturevalue(caller)

    assert someone_else.get(f"{JOBS_URL}{job['id']}/").status_code == 404
    assert someone_else.get(f"{JOBS_URL}{job['id']}/download/").status_code == 404
    assert someone_else.get(JOBS_URL).json() == []


def test_an_unfinished_job_cannot_be_downloaded(
    partner_api, cases, django_capture_on_commit_callbacks
):
    with mock.patch.object(run_export, "apply_async"):
        job = ask(partner_api, django_capture_on_commit_callbacks)

    assert partner_api.get(f"{JOBS_URL}{job['id']}/download/").status_code == 404


def test_an_anonymous_caller_cannot_ask_for_an_export(client):
    response = client.post(JOBS_URL, {"export_type": "cases", "export_format": "json"})

    assert response.status_code in (401, 403)
    assert not ExportJob.objects.exists()


def test_running_a_finished_job_again_changes_nothing(
    partner_api, cases, django_capture_on_commit_callbacks
):
    job = ask(partner_api, django_capture_on_commit_callbacks)
    before = ExportJob.objects.get(pk=job["id"])

    assert run_export.delay(job["id"]).get() is None
    after = ExportJob.objects.get(pk=job["id"])
    assert (after.status, after.file.name, after.finished_at) == (
        ExportStatus.DONE,
        before.file.name,
        before.finished_at,
    )


# --- Stale jobs --------------------------------------------------------------------------------

REQUESTED = datetime.datetime(2025, 3, 3, 9, 0, tzinfo=datetime.UTC)


def left_queued():
    """A job recorded at REQUESTED whose task never reached a worker."""
    with time_machine.travel(REQUESTED, tick=False):
        return ExportJob.objects.create(
            export_type="cases", export_format="csv", level=Visibility.PUBLIC
        )


def test_the_sweeper_runs_a_job_left_queued(cases):
    job = left_queued()

    with time_machine.travel(REQUESTED + datetime.timedelta(seconds=121), tick=False):
        queued = requeue_stale_exports.delay().get()

    job.refresh_from_db()
    assert (queued, job.status) == (1, ExportStatus.DONE)


def test_the_sweeper_leaves_a_fresh_job_to_its_own_task(cases):
    job = left_queued()

    with time_machine.travel(REQUESTED + datetime.timedelta(seconds=60), tick=False):
        queued = requeue_stale_exports.delay().get()

    job.refresh_from_db()
    assert (queued, job.status) == (0, ExportStatus.QUEUED)


def running_since(moment):
    """A job a worker started at ``moment`` and reported progress on (perhaps dying then)."""
    job = left_queued()
    with time_machine.travel(moment, tick=False):
        job.status, job.rows_done = ExportStatus.RUNNING, 5
        job.save()
    return job


def test_the_sweeper_runs_again_a_job_whose_worker_died(cases):
    # Nothing runs longer than run_export's hard time limit (35 minutes).
    job = running_since(REQUESTED)

    with time_machine.travel(REQUESTED + datetime.timedelta(minutes=36), tick=False):
        requeue_stale_exports.delay()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total) == (ExportStatus.DONE, 1, 1)


def test_the_sweeper_leaves_a_running_job_alone(cases):
    job = running_since(REQUESTED)

    with time_machine.travel(REQUESTED + datetime.timedelta(minutes=5), tick=False):
        requeue_stale_exports.delay()

    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING


def test_work_queued_in_a_rolled_back_transaction_is_never_sent(django_capture_on_commit_callbacks):
    with (
        mock.patch.object(run_export, "apply_async") as queued,
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
    ):
        queue_after_commit(run_export, 1)
        transaction.set_rollback(True)

    queued.assert_not_called()


# --- The admin ---------------------------------------------------------------------------------

ADMIN_URL = "/admin/cases/exportjob/"


def test_an_editor_asks_for_an_export_in_the_admin_and_it_runs(
    client, editor, cases, django_capture_on_commit_callbacks
):
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN_URL}add/", {"export_type": "cases", "export_format": "csv"})

    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert (job.requested_by, job.level, job.status) == (
        editor,
        Visibility.MONITORS,
        ExportStatus.DONE,
    )
    listing = client.get(ADMIN_URL).content.decode()
    assert f"{ADMIN_URL}{job.pk}/download/" in listing
    response = client.get(f"{ADMIN_URL}{job.pk}/download/")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(int(r["id"]) for r in rows) == sorted(c.pk for c in cases.values())


def test_an_editor_sees_only_their_own_exports_in_the_admin(client, editor, cases):
    theirs = ExportJob.objects.create(
        export_type="cases",
        export_format="csv",
        level=Visibility.MONITORS,
        requested_by=UserFactory(role=roles.EDITOR),
        status=ExportStatus.DONE,
    )
    mine = ExportJob.objects.create(
        export_type="cases", export_format="csv", level=Visibility.MONITORS, requested_by=editor
    )
    client.force_login(editor)

    response = client.get(ADMIN_URL)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [mine]
    assert client.get(f"{ADMIN_URL}{theirs.pk}/download/").status_code == 404


@pytest.mark.parametrize("page", ["", "add/"])
def test_a_monitor_has_no_access_to_exports_in_the_admin(client, monitor, page):
    client.force_login(monitor)

    assert client.get(f"{ADMIN_URL}{page}").status_code == 403


# --- The broker is down ------------------------------------------------------------------------


def test_with_the_broker_down_the_request_still_answers_202_and_the_job_waits(
    partner_api, cases, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(run_export, "apply_async", side_effect=down) as queueing:
        job = ask(partner_api, django_capture_on_commit_callbacks)

    assert queueing.called
    assert ExportJob.objects.get(pk=job["id"]).status == ExportStatus.QUEUED


def test_the_sweeper_queues_the_job_once_the_broker_is_back(
    partner_api, cases, django_capture_on_commit_callbacks
):
    down = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(run_export, "apply_async", side_effect=down):
        job = ask(partner_api, django_capture_on_commit_callbacks)
    later = timezone.now() + datetime.timedelta(minutes=5)

    with time_machine.travel(later, tick=False):
        requeue_stale_exports.delay()

    assert partner_api.get(f"{JOBS_URL}{job['id']}/").json()["status"] == "done"


def test_an_unreachable_broker_fails_fast_and_the_request_still_answers_202(
    partner_api, cases, django_capture_on_commit_callbacks, monkeypatch
):
    with unreachable_broker(monkeypatch):
        started = time.monotonic()
        job = ask(partner_api, django_capture_on_commit_callbacks)
        took = time.monotonic() - started

    assert ExportJob.objects.get(pk=job["id"]).status == ExportStatus.QUEUED
    # CELERY_BROKER_CONNECTION_TIMEOUT is 2 s and publishing is not retried.
    assert took < 10
