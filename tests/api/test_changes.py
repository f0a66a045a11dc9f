"""The change feed, /api/v1/changes/: every change to what the caller may see, in order, each
with the record as its list gives it now or a tombstone, and a cursor that misses nothing."""

import io
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from cases.models import CaseDefendant
from core.visibility import Visibility
from exchange.models import Change
from tests.factories import (
    AffiliationFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

FEED = "/api/v1/changes/"


def page(client, cursor=None, **params):
    if cursor is not None:
        params["cursor"] = cursor
    response = client.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def start(client):
    """The cursor after everything so far: where a nightly sync left off."""
    body = page(client, page_size=500)
    while body["next"]:
        body = page(client, body["cursor"], page_size=500)
    return body["cursor"]


def entries(client, cursor):
    """(type, id, action) of every entry after ``cursor``."""
    return [(e["type"], e["id"], e["action"]) for e in page(client, cursor)["results"]]


# What appears ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "make"),
    [
        ("cases", CaseFactory),
        ("defendants", DefendantFactory),
        ("case-defendants", CaseDefendantFactory),
        ("affiliations", AffiliationFactory),
        ("charges", ChargeFactory),
        ("hearings", HearingFactory),
        ("decisions", DecisionFactory),
        ("custody-periods", CustodyPeriodFactory),
        ("citations", CitationFactory),
        ("sources", SourceFactory),
    ],
)
def test_a_new_record_of_every_synced_type_is_created_with_its_list_representation(
    anonymous_api, endpoint, make
):
    cursor = start(anonymous_api)
    record = make()

    results = page(anonymous_api, cursor)["results"]

    [entry] = [e for e in results if e["type"] == endpoint and e["id"] == record.pk]
    assert entry["action"] == "created"
    listed = anonymous_api.get(f"/api/v1/{endpoint}/", {"page_size": 200}).json()["results"]
    assert entry["record"] == next(r for r in listed if r["id"] == record.pk)


def test_an_edit_is_an_update_with_the_record_as_it_is_now(anonymous_api):
    case = CaseFactory()
    cursor = start(anonymous_api)
    case.title = "Renamed"
    case.save()

    [entry] = page(anonymous_api, cursor)["results"]

    assert (entry["type"], entry["id"], entry["action"]) == ("cases", case.pk, "updated")
    assert entry["record"]["title"] == "Renamed"


def test_a_deletion_is_a_deleted_entry_without_the_record(anonymous_api):
    hearing = HearingFactory()
    hearing_id = hearing.pk
    cursor = start(anonymous_api)
    hearing.delete()

    [entry] = [e for e in page(anonymous_api, cursor)["results"] if e["type"] == "hearings"]

    assert (entry["type"], entry["id"], entry["action"], entry["record"]) == (
        "hearings",
        hearing_id,
        "deleted",
        None,
    )


def test_deleting_a_case_deletes_its_facts_in_the_feed(anonymous_api):
    hearing = HearingFactory()
    case, hearing_id = hearing.case, hearing.pk
    cursor = start(anonymous_api)
    case.delete()

    assert ("hearings", hearing_id, "deleted") in entries(anonymous_api, cursor)


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_case_made_confidential_is_hidden_with_its_facts(api_as, caller):
    client = api_as(caller)
    hearing = HearingFactory()
    case = hearing.case
    cursor = start(client)
    case.visibility = Visibility.MONITORS
    case.save()

    assert set(entries(client, cursor)) == {
        ("cases", case.pk, "hidden"),
        ("hearings", hearing.pk, "hidden"),
    }


def test_a_confidential_case_made_public_is_created_with_its_facts(anonymous_api):
    case = CaseFactory(visibility=Visibility.MONITORS)
    hearing = HearingFactory(case=case)
    cursor = start(anonymous_api)
    case.visibility = Visibility.PUBLIC
    case.save()

    assert set(entries(anonymous_api, cursor)) == {
        ("cases", case.pk, "created"),
        ("hearings", hearing.pk, "created"),
    }


def test_linking_a_person_to_a_case_creates_the_link_and_shows_their_charges(anonymous_api):
    charge = ChargeFactory()
    case, person = charge.case, charge.defendant
    CaseDefendant.objects.get(case=case, defendant=person).delete()  # monitors only now
    cursor = start(anonymous_api)
    link = CaseDefendantFactory(case=case, defendant=person)

    assert set(entries(anonymous_api, cursor)) == {
        ("case-defendants", link.pk, "created"),
        ("charges", charge.pk, "created"),
        ("cases", case.pk, "updated"),  # its defendants
        ("defendants", person.pk, "updated"),  # their cases
    }


def test_unlinking_a_person_deletes_the_link_and_hides_their_charges(anonymous_api):
    charge = ChargeFactory()
    link = CaseDefendant.objects.get(case=charge.case, defendant=charge.defendant)
    link_id = link.pk
    cursor = start(anonymous_api)
    link.delete()

    assert set(entries(anonymous_api, cursor)) == {
        ("case-defendants", link_id, "deleted"),
        ("charges", charge.pk, "hidden"),
        ("cases", charge.case_id, "updated"),
        ("defendants", charge.defendant_id, "updated"),
    }


def test_adding_a_charge_to_a_decision_updates_the_decision(anonymous_api):
    decision = DecisionFactory()
    charge = ChargeFactory(case=decision.case, defendant=decision.defendant)
    cursor = start(anonymous_api)
    decision.charges.add(charge)

    assert entries(anonymous_api, cursor) == [
        ("decisions", decision.pk, "updated"),
        # Their details nest the decision.
        ("cases", decision.case_id, "updated"),
        ("defendants", decision.defendant_id, "updated"),
    ]


def test_deleting_a_charge_updates_the_decision_ruling_on_it(anonymous_api):
    decision = DecisionFactory()
    charge = ChargeFactory(case=decision.case, defendant=decision.defendant)
    decision.charges.add(charge)
    cursor = start(anonymous_api)
    charge.delete()

    [entry] = [e for e in page(anonymous_api, cursor)["results"] if e["type"] == "decisions"]

    assert (entry["id"], entry["action"], entry["record"]["charges"]) == (
        decision.pk,
        "updated",
        [],
    )


def test_an_affiliation_ended_is_deleted(anonymous_api):
    affiliation = AffiliationFactory()
    affiliation_id = affiliation.pk
    cursor = start(anonymous_api)
    affiliation.delete()

    assert entries(anonymous_api, cursor) == [
        ("affiliations", affiliation_id, "deleted"),
        ("defendants", affiliation.defendant_id, "updated"),  # its affiliations
    ]


def test_a_change_to_a_hearing_updates_the_case_whose_list_nests_it(anonymous_api):
    hearing = HearingFactory()
    cursor = start(anonymous_api)
    hearing.outcome = "Adjourned"
    hearing.save()

    results = page(anonymous_api, cursor)["results"]

    assert [(e["type"], e["action"]) for e in results] == [
        ("hearings", "updated"),
        ("cases", "updated"),
    ]
    assert results[1]["record"]["hearings"][0]["outcome"] == "Adjourned"


def test_entries_come_in_the_order_of_the_changes(anonymous_api):
    cursor = start(anonymous_api)
    first, second = CaseFactory(), DefendantFactory()
    first.title = "Renamed"
    first.save()

    assert entries(anonymous_api, cursor) == [
        ("cases", first.pk, "created"),
        ("defendants", second.pk, "created"),
        ("cases", first.pk, "updated"),
    ]


# What never leaks ------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_a_confidential_record_and_its_changes_never_appear(api_as, caller):
    client = api_as(caller)
    cursor = start(client)
    case = CaseFactory(visibility=Visibility.MONITORS)
    case.title = "Still confidential"
    case.save()
    HearingFactory(case=case)
    case.delete()

    assert page(client, cursor)["results"] == []


def test_a_confidential_hearing_of_a_public_case_changes_nothing_for_anonymous_callers(
    anonymous_api,
):
    case = CaseFactory()
    cursor = start(anonymous_api)
    hearing = HearingFactory(case=case, visibility=Visibility.MONITORS)
    hearing.outcome = "Closed doors"
    hearing.save()

    assert page(anonymous_api, cursor)["results"] == []


def test_a_partner_level_record_reaches_partners_not_anonymous_callers(anonymous_api, partner_api):
    anonymous_cursor, partner_cursor = start(anonymous_api), start(partner_api)
    case = CaseFactory(visibility=Visibility.PARTNERS)

    assert entries(anonymous_api, anonymous_cursor) == []
    assert entries(partner_api, partner_cursor) == [("cases", case.pk, "created")]


def test_a_monitor_sees_confidential_changes_with_the_record(monitor_api):
    cursor = start(monitor_api)
    case = CaseFactory(visibility=Visibility.MONITORS)

    [entry] = page(monitor_api, cursor)["results"]

    assert (entry["id"], entry["action"], entry["record"]["visibility"]) == (
        case.pk,
        "created",
        Visibility.MONITORS,
    )


def test_a_record_hidden_after_its_change_is_served_as_hidden_not_with_its_content(
    anonymous_api,
):
    cursor = start(anonymous_api)
    case = CaseFactory()
    case.visibility = Visibility.MONITORS
    case.save()

    results = page(anonymous_api, cursor)["results"]

    assert [(e["action"], e["record"]) for e in results] == [("hidden", None), ("hidden", None)]


def test_assigning_a_monitor_is_no_change_for_partners(partner_api, monitor):
    case = CaseFactory()
    cursor = start(partner_api)
    case.assigned_monitors.add(monitor)

    assert entries(partner_api, cursor) == []


# Cursor and pages ------------------------------------------------------------------------------


def test_a_night_without_changes_is_one_request_with_the_same_cursor(anonymous_api):
    CaseFactory()
    cursor = start(anonymous_api)

    body = page(anonymous_api, cursor)

    assert (body["results"], body["next"], body["cursor"]) == ([], None, cursor)


def test_the_first_sync_starts_from_the_first_change(anonymous_api):
    case = CaseFactory()

    assert ("cases", case.pk, "created") in entries(anonymous_api, None)


def test_pages_follow_each_other_without_gaps_or_repeats(anonymous_api):
    cursor = start(anonymous_api)
    cases = [CaseFactory() for _ in range(5)]

    first = page(anonymous_api, cursor, page_size=2)
    second = anonymous_api.get(first["next"]).json()
    third = anonymous_api.get(second["next"]).json()

    seen = [e["id"] for body in (first, second, third) for e in body["results"]]
    assert seen == [case.pk for case in cases]
    assert third["next"] is None


def test_the_cursor_of_a_page_continues_after_it(anonymous_api):
    cursor = start(anonymous_api)
    CaseFactory()
    after = page(anonymous_api, cursor)["cursor"]
    later = CaseFactory()

    assert entries(anonymous_api, after) == [("cases", later.pk, "created")]


@pytest.mark.parametrize("cursor", ["not-a-cursor", "MTIz", "LTEuNQ", "%%%"])
def test_an_invalid_cursor_answers_400_naming_it(anonymous_api, cursor):
    response = anonymous_api.get(FEED, {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_an_unknown_parameter_answers_400_with_the_accepted_ones(anonymous_api):
    response = anonymous_api.get(FEED, {"since": "2024-01-01T00:00:00Z"})

    assert response.status_code == 400
    assert response.json()["accepted_parameters"] == ["cursor", "format", "page_size"]


def test_a_page_size_beyond_the_maximum_answers_400(anonymous_api):
    response = anonymous_api.get(FEED, {"page_size": 501})

    assert response.status_code == 400
    assert "page_size" in response.json()


# Cost ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [2, 8])
def test_a_page_reads_a_fixed_number_of_queries(anonymous_api, django_assert_num_queries, rows):
    cursor = start(anonymous_api)
    for _ in range(rows):
        HearingFactory(case=CaseFactory())
    # 1. the page of entries (each case created, its hearing created, the case updated)
    # 2.–6. the cases, as their list reads them: the cases, tags, defendant links, charges,
    #    hearings
    # 7. the hearings, as their list reads them
    with django_assert_num_queries(7):
        assert len(page(anonymous_api, cursor)["results"]) == 3 * rows


# A transaction that commits late -------------------------------------------------------------


@pytest.fixture
def open_transaction(transactional_db):
    """Runs ``write()`` in another connection's transaction and keeps it open until
    ``commit()``: a monitor's save still in flight while a partner syncs."""
    opened, release = threading.Event(), threading.Event()
    made, errors = [], []

    def writer(write):
        try:
            with transaction.atomic():
                made.append(write())
                opened.set()
                release.wait(30)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            errors.append(error)
            opened.set()
        finally:
            connection.close()

    threads = []

    def begin(write):
        thread = threading.Thread(target=writer, args=(write,))
        thread.start()
        threads.append(thread)
        assert opened.wait(30) and not errors, errors
        return made[0]

    def commit():
        release.set()
        threads[0].join(30)
        assert not errors, errors

    def commit_later(seconds):
        threading.Timer(seconds, release.set).start()

    yield SimpleNamespace(begin=begin, commit=commit, commit_later=commit_later)
    release.set()
    for thread in threads:
        thread.join(30)


@pytest.mark.postgres
def test_a_record_committed_after_a_sync_started_is_delivered_on_the_next_sync(
    anonymous_api, open_transaction
):
    cursor = start(anonymous_api)
    late = open_transaction.begin(lambda: CaseFactory(title="Saved late"))
    early = CaseFactory(title="Saved after, committed first")

    tonight = page(anonymous_api, cursor)
    open_transaction.commit()
    tomorrow = page(anonymous_api, tonight["cursor"])

    # Tonight serves nothing past the open transaction: what committed after it waits too.
    assert tonight["results"] == []
    assert [(e["id"], e["action"]) for e in tomorrow["results"]] == [
        (late.pk, "created"),
        (early.pk, "created"),
    ]


@pytest.mark.postgres
def test_a_hearing_made_public_while_its_case_is_made_public_is_delivered(
    anonymous_api, open_transaction
):
    case = CaseFactory(visibility=Visibility.MONITORS)
    hearing = HearingFactory(case=case, visibility=Visibility.MONITORS)
    cursor = start(anonymous_api)

    def publish():
        case.visibility = Visibility.PUBLIC
        case.save()

    open_transaction.begin(publish)
    open_transaction.commit_later(0.5)
    hearing.visibility = Visibility.PUBLIC
    hearing.save()  # waits for the case's transaction, then sees the case public

    assert ("hearings", hearing.pk, "created") in entries(anonymous_api, cursor)


# Records from before the feed ------------------------------------------------------------------


def test_logging_existing_records_gives_each_record_without_an_entry_one(anonymous_api):
    case = CaseFactory()
    Change.objects.all().delete()  # as before the feed existed
    cursor = start(anonymous_api)

    call_command("log_existing_records", stdout=io.StringIO())
    call_command("log_existing_records", stdout=io.StringIO())  # again: nothing more

    # Migrations add a reference source of their own: it gets its entry too.
    logged = [entry for entry in entries(anonymous_api, cursor) if entry[0] == "cases"]
    assert logged == [("cases", case.pk, "created")]


def test_logging_existing_records_reveals_no_confidential_record(anonymous_api):
    CaseFactory(visibility=Visibility.MONITORS)
    Change.objects.all().delete()
    cursor = start(anonymous_api)

    call_command("log_existing_records", stdout=io.StringIO())

    assert [entry for entry in entries(anonymous_api, cursor) if entry[0] == "cases"] == []


# The README's recipe ---------------------------------------------------------------------------

README = Path(__file__).resolve().parents[2] / "README.md"
SYNCED = [
    "cases",
    "defendants",
    "case-defendants",
    "affiliations",
    "charges",
    "hearings",
    "decisions",
    "custody-periods",
    "citations",
    "sources",
]


class Store:
    """A partner's copy: {type: {id: record}}."""

    def __init__(self):
        self.tables = {}

    def upsert(self, kind, record):
        self.tables.setdefault(kind, {})[record["id"]] = record

    def delete(self, kind, record_id):
        self.tables.get(kind, {}).pop(record_id, None)


def readme_sync(client):
    """The README's feed recipe, its HTTP calls made by the test client; counts requests."""
    text = README.read_text().split("### The change feed", 1)[1]
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    calls = []

    def get(url, params=None, headers=None, timeout=None):
        calls.append(url)
        return client.get(url.replace("https://tracker.example.org", ""), params)

    namespace = {}
    exec(code.replace("import requests\n", ""), namespace)  # noqa: S102 - our own README
    namespace["requests"] = SimpleNamespace(get=get)
    return namespace["sync"], calls


def fresh_pull(client):
    copy = Store()
    for kind in SYNCED:
        url, params = f"/api/v1/{kind}/", {"page_size": 200}
        while url:
            body = client.get(url, params).json()
            for record in body["results"]:
                copy.upsert(kind, record)
            url, params = body["next"], None
    return {kind: rows for kind, rows in copy.tables.items() if rows}


@pytest.mark.parametrize("caller", ["anonymous", "partner"])
def test_the_readme_recipe_keeps_a_copy_equal_to_a_fresh_pull(api_as, caller):
    client = api_as(caller)
    call_command("log_existing_records", stdout=io.StringIO())  # the migrations' own records
    charge, hearing = ChargeFactory(), HearingFactory()
    affiliation = AffiliationFactory()
    secret = CaseFactory(visibility=Visibility.MONITORS)
    sync, calls = readme_sync(client)
    store = Store()
    cursor = sync(store)

    hearing.outcome = "Adjourned"
    hearing.save()
    HearingFactory(case=charge.case)
    charge.case.visibility = Visibility.MONITORS  # its facts disappear with it
    charge.case.save()
    affiliation.delete()
    secret.visibility = Visibility.PUBLIC  # appears, with its facts
    secret.save()
    link = CaseDefendantFactory(case=secret)
    DecisionFactory(case=secret, defendant=link.defendant)
    cursor = sync(store, cursor)

    copy = {kind: rows for kind, rows in store.tables.items() if rows}
    assert copy == fresh_pull(client)


@pytest.mark.parametrize("changes", [0, 5, 500])
def test_a_nightly_sync_is_one_request_per_page(anonymous_api, changes):
    sync, calls = readme_sync(anonymous_api)
    cursor = sync(Store())
    for _ in range(changes):
        CaseFactory()
    calls.clear()

    sync(Store(), cursor)

    assert len(calls) == 1


def test_a_confirmation_updates_the_fact_it_dates(client):
    period = CustodyPeriodFactory(last_confirmed=None)
    cursor = start(client)

    CitationFactory(subject=period, source=SourceFactory())

    found = [e for e in page(client, cursor)["results"] if e["type"] == "custody-periods"]
    assert [(e["id"], e["action"]) for e in found][-1:] == [(period.pk, "updated")]
    assert found[-1]["record"]["last_confirmed"] == "2024-08-26"


def test_deleting_a_hearing_updates_the_decision_that_named_it(anonymous_api):
    """The database clears a decision's hearing in one UPDATE when the hearing goes (on_delete
    SET_NULL): no save runs, yet the decision changed."""
    decision = DecisionFactory(hearing=HearingFactory())
    hearing = decision.hearing
    cursor = start(anonymous_api)

    hearing.delete()

    assert ("decisions", decision.pk, "updated") in entries(anonymous_api, cursor)


def test_deleting_a_hearing_moves_the_updated_at_of_the_decision_that_named_it(anonymous_api):
    decision = DecisionFactory(hearing=HearingFactory())
    before = decision.updated_at

    decision.hearing.delete()

    decision.refresh_from_db()
    assert decision.updated_at > before


def test_adding_a_charge_to_a_decision_moves_the_decision_s_updated_at(anonymous_api):
    decision = DecisionFactory()
    charge = ChargeFactory(case=decision.case, defendant=decision.defendant)
    before = decision.changed_public  # the public's updated_at (core.models.ContainerModel)

    decision.charges.add(charge)

    decision.refresh_from_db()
    assert decision.changed_public > before


def test_linking_a_monitors_only_charge_to_a_public_decision_tells_the_public_nothing(
    anonymous_api,
):
    decision = DecisionFactory()
    charge = ChargeFactory(
        case=decision.case, defendant=decision.defendant, visibility=Visibility.MONITORS
    )
    before = decision.changed_public  # the public's updated_at (core.models.ContainerModel)
    cursor = start(anonymous_api)

    decision.charges.add(charge)

    decision.refresh_from_db()
    assert (entries(anonymous_api, cursor), decision.changed_public) == ([], before)


def test_deleting_a_monitors_only_hearing_tells_the_public_nothing_of_its_decision(
    anonymous_api,
):
    decision = DecisionFactory(hearing=HearingFactory(visibility=Visibility.MONITORS))
    before = decision.updated_at
    cursor = start(anonymous_api)

    decision.hearing.delete()

    decision.refresh_from_db()
    assert (entries(anonymous_api, cursor), decision.updated_at) == ([], before)
