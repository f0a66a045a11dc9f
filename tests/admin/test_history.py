"""Every way a record is written leaves a history entry saying who changed what; history can
be read in the admin but never edited."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.manager import HistoryManager

from cases.models import Case, Tag
from core.models import TrackedModel
from core.visibility import Visibility
from defendants.models import CustodyKind, CustodyPeriod
from hearings.models import Decision, DecisionKind, Hearing
from tests.factories import (
    LOG_OBSERVATION,
    CaseFactory,
    ChargeFactory,
    CustodyPeriodFactory,
    HearingFactory,
    SourceFactory,
)

from .helpers import admin_form_data, as_csv, confirm, csv_rows, export, upload

pytestmark = pytest.mark.django_db


def latest(record):
    return type(record).history.filter(id=record.pk).latest("history_date", "history_id")


def tracked_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, TrackedModel) and not model._meta.abstract
    ]


def test_every_tracked_model_keeps_history():
    assert tracked_models()  # the check below means nothing on an empty list

    missing = [
        model.__name__
        for model in tracked_models()
        if not isinstance(getattr(model, "history", None), HistoryManager)
    ]

    assert missing == []


def test_adding_a_case_in_the_admin_records_who_added_it(client, editor):
    client.force_login(editor)
    data = admin_form_data(client.get("/admin/cases/case/add/"))

    client.post("/admin/cases/case/add/", {**data, "title": "New case", "status": "pretrial"})

    case = Case.objects.get(title="New case")
    record = latest(case)
    assert (record.history_type, record.history_user) == ("+", editor)


def test_changing_a_record_in_the_admin_records_the_diff(client, monitor):
    hearing = HearingFactory(outcome="Adjourned")
    url = f"/admin/hearings/hearing/{hearing.pk}/change/"
    client.force_login(monitor)
    data = admin_form_data(client.get(url))

    client.post(url, {**data, "outcome": "Verdict read", "confirm_unusual_date": "on"})

    record = latest(hearing)
    assert (record.history_type, record.history_user) == ("~", monitor)
    delta = record.diff_against(record.prev_record, excluded_fields=["version", "updated_at"])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("outcome", "Adjourned", "Verdict read")
    ]


def test_deleting_in_the_admin_records_who_deleted(client, editor):
    case = CaseFactory()
    client.force_login(editor)

    client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"})

    record = Case.history.filter(id=case.pk).latest("history_date", "history_id")
    assert (record.history_type, record.history_user) == ("-", editor)


def test_logging_a_hearing_records_the_monitor_on_every_record_it_writes(client, monitor):
    today = timezone.localdate()
    charge = ChargeFactory(date_filed=today - datetime.timedelta(days=90))
    detention = CustodyPeriodFactory(
        case=charge.case,
        defendant=charge.defendant,
        start=today - datetime.timedelta(days=60),
        # Monitors-only: a Monitor's write ends it at once (a public one waits for an Editor).
        visibility=Visibility.MONITORS,
    )
    prefix = f"d{charge.defendant_id}-"
    client.force_login(monitor)

    client.post(
        f"/admin/cases/case/{charge.case_id}/log-hearing/",
        {
            "date": today.isoformat(),
            "date_precision": "day",
            "court": charge.case.court_id,
            "kind": "bail",
            **LOG_OBSERVATION,
            "status": "held",
            prefix + "decision_kind": DecisionKind.BAIL_GRANTED,
            prefix + "custody": CustodyKind.BAIL,
        },
    )

    written = [
        Hearing.objects.get(case=charge.case),
        Decision.objects.get(case=charge.case),
        CustodyPeriod.objects.get(kind=CustodyKind.BAIL),
        detention,
    ]
    assert [(type(r).__name__, latest(r).history_user) for r in written] == [
        (type(r).__name__, monitor) for r in written
    ]
    assert latest(detention).history_type == "~"


def test_an_import_records_the_editor(client, editor):
    case = CaseFactory(title="Old title")
    client.force_login(editor)
    (row,) = csv_rows(export(client, "csv"))

    confirm(client, upload(client, as_csv([{**row, "title": "Imported title"}])))

    record = latest(case)
    assert (record.history_type, record.history_user, record.title) == (
        "~",
        editor,
        "Imported title",
    )


def test_the_seed_command_leaves_history_for_every_record_it_creates():
    call_command("seed_report", stdout=io.StringIO())
    assert Case.objects.exists()

    without_history = {
        model.__name__: list(
            model.objects.exclude(
                pk__in=model.history.filter(history_type="+").values("id")
            ).values_list("pk", flat=True)
        )
        for model in tracked_models()
    }

    assert without_history == {model.__name__: [] for model in tracked_models()}


def test_the_history_page_shows_the_diff(client, editor):
    case = CaseFactory(title="Old title")
    url = f"/admin/cases/case/{case.pk}/change/"
    client.force_login(editor)
    client.post(url, {**admin_form_data(client.get(url)), "title": "New title"})

    page = client.get(f"/admin/cases/case/{case.pk}/history/").content.decode()

    assert "<strong>Title:</strong>" in page
    assert "Old title" in page
    assert "New title" in page
    assert editor.username in page


def test_a_past_version_can_be_viewed(client, editor):
    case = CaseFactory()
    client.force_login(editor)

    response = client.get(f"/admin/cases/case/{case.pk}/history/{latest(case).history_id}/")

    assert response.status_code == 200


def test_history_cannot_be_edited(client, editor):
    case = CaseFactory(title="Old title")
    first = latest(case)
    case.title = "New title"
    case.save()
    url = f"/admin/cases/case/{case.pk}/history/{first.history_id}/"
    client.force_login(editor)
    # What a "revert" form would send back: the old version's values.
    data = {"title": "Old title", "status": case.status, "_change_history": "1"}

    response = client.post(url, data)

    assert response.status_code == 405
    case.refresh_from_db()
    assert (case.title, case.history.count()) == ("New title", 2)


def test_the_case_history_shows_a_logged_change_whole_with_author_reason_and_source(
    client, monitor
):
    today = timezone.localdate()
    charge = ChargeFactory(date_filed=today - datetime.timedelta(days=90))
    # Monitors-only, so that the monitor's log ends it at once (ending a public one is held).
    CustodyPeriodFactory(
        case=charge.case,
        defendant=charge.defendant,
        start=today - datetime.timedelta(days=60),
        visibility=Visibility.MONITORS,
    )
    source = SourceFactory(short_title="Trial monitoring note", paragraph_count=12)
    prefix = f"d{charge.defendant_id}-"
    client.force_login(monitor)
    client.post(
        f"/admin/cases/case/{charge.case_id}/log-hearing/",
        {
            "date": today.isoformat(),
            "date_precision": "day",
            "court": charge.case.court_id,
            "kind": "bail",
            "status": "held",
            "cite-source": source.pk,
            "cite-paragraph": "7",
            "cite-reason": "Bail hearing attended by our team",
            prefix + "decision_kind": "bail_granted",
            prefix + "custody": "bail",
        },
    )
    assert Hearing.objects.filter(case=charge.case).exists()

    page = client.get(f"/admin/cases/case/{charge.case_id}/history/").content.decode()
    logged = page[page.index('id="logged-changes"') :]

    assert monitor.get_username() in logged
    assert "Bail hearing attended by our team" in logged
    assert "Trial monitoring note, para. 7" in logged
    assert "Decision:" in logged  # the bail decision
    assert logged.count("Custody:") == 2  # bail started, pretrial detention ended


def test_a_cases_tags_are_kept_in_each_version_after_they_change():
    case = CaseFactory()
    tag = Tag.objects.create(slug="land-rights", name_en="Land rights")

    case.tags.add(tag)
    case.title = "Renamed"
    case.save()

    assert [row.tag for row in latest(case).tags.all()] == [tag]


def test_creating_a_record_reads_none_of_its_many_to_many_tables():
    # A record being created has no many-to-many rows yet: its first version has none to copy.
    through_tables = {
        Case.tags.through._meta.db_table,
        Case.assigned_monitors.through._meta.db_table,
    }

    with CaptureQueriesContext(connection) as queries:
        case = CaseFactory()

    assert not [q["sql"] for q in queries if any(t in q["sql"] for t in through_tables)]
    assert latest(case).history_type == "+"
