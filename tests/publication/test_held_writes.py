"""Nothing reaches the public without publication (issue #14): a monitors-level write that
would end a public custody period, change a public case's status or rewrite a public decision
leaves every anonymous and partner response byte-identical until an Editor publishes it, on
every write path: Log a hearing, the admin (page and inline), the API and import."""

import pytest
from django.core.exceptions import PermissionDenied

from cases.models import CaseStatus
from core.models import PendingChange, PendingStatus
from core.publication import pending_change_publish, pending_change_reject
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import DecisionKind
from tests.admin.helpers import admin_form_data, form_errors, inline_prefix
from tests.api.helpers import staff_api
from tests.factories import API_OBSERVATION, LOG_OBSERVATION

from .conftest import HEARING_DAY

pytestmark = pytest.mark.django_db


def assert_unchanged(before, after):
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"changed before publication: {changed}"


def publish_all(editor):
    for change in PendingChange.objects.filter(status=PendingStatus.PENDING):
        pending_change_publish(change=change, user=editor)


# --- The write paths --------------------------------------------------------------------------


def log_release_on_bail(client, world):
    prefix = f"d{world.defendant.pk}-"
    return client.post(
        f"/admin/cases/case/{world.case.pk}/log-hearing/",
        {
            "date": HEARING_DAY.isoformat(),
            "date_precision": "day",
            "court": world.case.court_id,
            "kind": "bail",
            "status": "held",
            "confirm_unusual_date": "on",
            prefix + "decision_kind": DecisionKind.BAIL_GRANTED,
            prefix + "custody": CustodyKind.BAIL,
            **LOG_OBSERVATION,
        },
    )


def admin_add_release(client, world):
    url = "/admin/defendants/custodyperiod/add/"
    data = {**admin_form_data(client.get(url))}
    data.update(
        defendant=world.defendant.pk,
        case=world.case.pk,
        kind=CustodyKind.RELEASED,
        start=HEARING_DAY.isoformat(),
        start_precision="day",
        **LOG_OBSERVATION,
    )
    return client.post(url, data)


def admin_end_detention(client, world):
    url = f"/admin/defendants/custodyperiod/{world.detention.pk}/change/"
    data = admin_form_data(client.get(url))
    data.update(end=HEARING_DAY.isoformat(), end_precision="day")
    return client.post(url, data)


def admin_change_case_status(client, world):
    url = f"/admin/cases/case/{world.case.pk}/change/"
    data = admin_form_data(client.get(url))
    data["status"] = CaseStatus.DISMISSED
    return client.post(url, data)


def inline_end_detention(client, world):
    """The custody inline on the person's admin page."""
    url = f"/admin/defendants/defendant/{world.defendant.pk}/change/"
    response = client.get(url)
    data = admin_form_data(response)
    prefix = inline_prefix(response, CustodyPeriod)
    data[f"{prefix}-0-end"] = HEARING_DAY.isoformat()
    data[f"{prefix}-0-end_precision"] = "day"
    return client.post(url, data)


def admin_overturn_decision(client, world):
    url = f"/admin/hearings/decision/{world.decision.pk}/change/"
    data = admin_form_data(client.get(url))
    data["prison_months"] = "6"
    return client.post(url, data)


def api_add_release(client, world):
    return staff_api(client.user).post(
        "/api/v1/custody-periods/",
        {
            "defendant": world.defendant.pk,
            "case": world.case.pk,
            "kind": CustodyKind.RELEASED,
            "start": HEARING_DAY.isoformat(),
            "start_precision": "day",
            "citations": API_OBSERVATION,
        },
        format="json",
    )


def api_overturn_decision(client, world):
    return staff_api(client.user).patch(
        f"/api/v1/decisions/{world.decision.pk}/",
        {"kind": DecisionKind.ACQUITTAL, "prison_months": None, "version": world.decision.version},
        format="json",
    )


PATHS = {
    "log form": log_release_on_bail,
    "admin, new period": admin_add_release,
    "admin, period page": admin_end_detention,
    "admin, decision": admin_overturn_decision,
    "api, new period": api_add_release,
    "api, decision": api_overturn_decision,
}


# Monitors may not change a case or a person in the admin (core/roles.py), so a case's status
# and the custody inlines on those pages are written by Editors, whose edits publish.
EDITOR_PATHS = {
    **PATHS,
    "admin, case status": admin_change_case_status,
    "admin, inline": inline_end_detention,
}


@pytest.fixture
def as_monitor(client, monitor):
    client.force_login(monitor)
    client.user = monitor
    return client


@pytest.fixture
def as_editor(client, editor):
    client.force_login(editor)
    client.user = editor
    return client


def published_state(world):
    world.detention.refresh_from_db()
    world.case.refresh_from_db()
    world.decision.refresh_from_db()
    return (
        world.detention.end,
        world.case.status,
        world.decision.kind,
        world.decision.prison_months,
    )


@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
def test_a_monitors_write_leaves_every_reader_response_unchanged(path, world, snapshot, as_monitor):
    before = snapshot()
    state = published_state(world)

    response = PATHS[path](as_monitor, world)

    assert response.status_code in (202, 302), form_errors(response) or response.content[:500]
    assert published_state(world) == state
    assert PendingChange.objects.filter(status=PendingStatus.PENDING).exists()
    assert_unchanged(before, snapshot())


@pytest.mark.parametrize("path", PATHS, ids=list(PATHS))
def test_readers_see_the_write_once_an_editor_publishes_it(
    path, world, snapshot, as_monitor, editor
):
    state = published_state(world)
    PATHS[path](as_monitor, world)
    before = snapshot()

    publish_all(editor)

    assert published_state(world) != state
    after = snapshot()
    assert [key for key in before if before[key] != after[key]]


def test_rejecting_a_held_change_leaves_the_record_as_published(world, as_monitor, editor):
    state = published_state(world)
    log_release_on_bail(as_monitor, world)
    (change,) = PendingChange.objects.all()

    pending_change_reject(change=change, user=editor)

    assert published_state(world) == state
    change.refresh_from_db()
    assert (change.status, change.decided_by) == (PendingStatus.REJECTED, editor)


def test_publishing_records_the_editor_in_the_history(world, as_monitor, editor):
    log_release_on_bail(as_monitor, world)

    publish_all(editor)

    latest = world.detention.history.latest("history_date", "history_id")
    assert (latest.end, latest.history_user) == (HEARING_DAY, editor)
    change = PendingChange.objects.get()
    assert change.proposed_by == as_monitor.user


def test_a_monitor_cannot_publish(world, as_monitor, monitor):
    state = published_state(world)
    log_release_on_bail(as_monitor, world)
    change = PendingChange.objects.get()

    response = as_monitor.post(
        "/admin/core/pendingchange/",
        {"action": "publish", "_selected_action": [change.pk]},
    )

    assert response.status_code in (200, 302, 403)  # the action is not offered
    assert published_state(world) == state
    with pytest.raises(PermissionDenied):
        pending_change_publish(change=change, user=monitor)
    change.refresh_from_db()
    assert change.status == PendingStatus.PENDING


def test_an_editor_publishes_from_the_admin_list(world, as_monitor, editor, client):
    log_release_on_bail(as_monitor, world)
    change = PendingChange.objects.get()
    client.force_login(editor)

    response = client.post(
        "/admin/core/pendingchange/",
        {"action": "publish", "_selected_action": [change.pk]},
    )

    assert response.status_code == 302
    world.detention.refresh_from_db()
    assert world.detention.end == HEARING_DAY


@pytest.mark.parametrize(
    "path", ["admin, period page", "admin, case status", "admin, inline", "api, decision"]
)
def test_an_editors_own_edit_is_published_at_once(path, world, as_editor):
    state = published_state(world)

    EDITOR_PATHS[path](as_editor, world)

    assert published_state(world) != state
    assert not PendingChange.objects.exists()


def test_ending_a_monitors_only_period_is_not_held(world, as_monitor):
    world.detention.visibility = 2
    world.detention.save()

    log_release_on_bail(as_monitor, world)

    world.detention.refresh_from_db()
    assert world.detention.end == HEARING_DAY
    assert not PendingChange.objects.exists()


def test_the_api_answers_202_naming_the_pending_change(world, as_monitor):
    response = api_overturn_decision(as_monitor, world)

    assert response.status_code == 202
    change = PendingChange.objects.get()
    assert response.json()["pending_change"] == change.pk
    assert change.changes == {"kind": DecisionKind.ACQUITTAL, "prison_months": None}


def test_the_dashboard_lists_changes_waiting_for_publication(world, as_monitor):
    log_release_on_bail(as_monitor, world)

    page = as_monitor.get("/admin/").content.decode()

    assert "Waiting for publication" in page
    change = PendingChange.objects.get()
    assert f"/admin/core/pendingchange/{change.pk}/change/" in page
