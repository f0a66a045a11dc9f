"""A partner's generated client: openapi-python-client builds a client from our schema, and a
full pull and both incremental syncs run through it against a live server holding the 2024
report plus synthetic records with the nulls real data has (a case without a court, a charge
without an article, a court without a province). The generated models raise on any answer the
schema does not describe (a null in a non-nullable field, a value outside an enum, a missing
field, an undocumented status code), so a mismatch between schema and responses fails here
(#15).

Between the first pull and the syncs, records of every synced type are created, edited,
deleted and hidden, links are added and removed, and (on PostgreSQL) one record is saved in a
transaction that commits only after the first sync ran. A copy synced through the change feed,
and one synced through ``updated_since`` + tombstones, must then each equal a fresh pull,
nested arrays included.

The client is generated once per session into a temporary directory, never into the
repository. The data is written and committed once for the module (seeding takes seconds), the
scenario runs once, and each test checks one thing it produced.
"""

import copy
import datetime
import importlib
import json
import pkgutil
import shutil
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from pytest_django.live_server_helper import LiveServer

from cambodia_tracker.celery import app as celery_app
from core import registry
from core.visibility import Visibility
from partners.models import ApiToken, Partner
from tests.factories import (
    AffiliationFactory,
    AnswerFactory,
    AssessmentFactory,
    CaseDefendantFactory,
    CaseFactory,
    ChargeFactory,
    CitationFactory,
    CourtFactory,
    CustodyPeriodFactory,
    DecisionFactory,
    DefendantFactory,
    HearingFactory,
    SourceFactory,
)

PACKAGE = "tracker_client"
# The generator's default post-hooks run ruff over the output: not needed to import it.
GENERATOR_CONFIG = f"package_name_override: {PACKAGE}\npost_hooks: []\n"
CALLERS = ["anonymous", "partner"]
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

# Each test commits (the live server must see the data) and restores the database as
# migrations left it (tests/conftest.py's transactional_db).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# How the scenario makes a record of each synced type, and which field it edits. A test below
# fails when a synced type (core/registry.py) is missing here.
FACTORIES = {
    "cases": CaseFactory,
    "case-defendants": CaseDefendantFactory,
    "charges": ChargeFactory,
    "citations": CitationFactory,
    "sources": SourceFactory,
    "defendants": DefendantFactory,
    "affiliations": AffiliationFactory,
    "custody-periods": CustodyPeriodFactory,
    "hearings": HearingFactory,
    "decisions": DecisionFactory,
    "fair-trial-answers": AnswerFactory,
    "fairness-assessments": AssessmentFactory,
}
EDITS = {
    "cases": ("title", "A new title"),
    "case-defendants": ("certainty", "inferred"),  # its note is the monitors' alone
    "charges": ("label", "defamation"),
    "citations": ("paragraph", "35"),
    "sources": ("title", "A new title"),
    "defendants": ("name", "A new name"),
    "affiliations": ("role", "chair"),
    "custody-periods": ("note", "A new note"),
    "hearings": ("outcome", "Adjourned"),
    "decisions": ("summary", "A new summary"),
    "fair-trial-answers": ("note", "A new note"),
    "fairness-assessments": ("summary", "A new summary"),
}


def generator():
    beside_python = Path(sys.executable).with_name("openapi-python-client")
    return str(beside_python) if beside_python.exists() else shutil.which("openapi-python-client")


@pytest.fixture(scope="session")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(path))
    return path


@pytest.fixture(scope="session")
def generated(schema, tmp_path_factory):
    """The generated client package, imported: (package, {operation id: module}). A missing
    generator fails the tests: CI installs it with the dev extra (pyproject.toml)."""
    binary = generator()
    assert binary, "openapi-python-client is not installed: pip install '.[dev]'"
    out = tmp_path_factory.mktemp("client")
    config = out / "config.yaml"
    config.write_text(GENERATOR_CONFIG)
    subprocess.run(
        [binary, "generate", "--path", str(schema), "--output-path", str(out / PACKAGE)]
        + ["--meta", "none", "--config", str(config)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    sys.path.insert(0, str(out))
    try:
        package = importlib.import_module(PACKAGE)
        api = importlib.import_module(f"{PACKAGE}.api")
        operations = {
            info.name.rsplit(".", 1)[1]: importlib.import_module(info.name)
            for info in pkgutil.walk_packages(api.__path__, f"{PACKAGE}.api.")
            if not info.ispkg
        }
        yield package, operations
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name.partition(".")[0] == PACKAGE]:
            del sys.modules[name]


@pytest.fixture(scope="session")
def spec(schema):
    return json.loads(schema.read_text())


def lists(spec, caller):
    """(type, operation id, item model name) of every paginated list ``caller`` may read, from
    the schema itself, so a new list endpoint is pulled here without editing this test."""
    found = []
    for path, operations in spec["paths"].items():
        get = operations.get("get")
        if "{" in path or get is None:
            continue
        if caller == "anonymous" and {} not in get.get("security", [{}]):
            continue
        ref = get["responses"]["200"]["content"]["application/json"]["schema"].get("$ref", "")
        page = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else {}
        if not ref.rsplit("/", 1)[-1].startswith("Paginated"):
            continue
        item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
        found.append((path.split("/")[3], get["operationId"], item))
    return found


# The server and its data ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """The database as migrations left it (a test that committed before may have emptied it)
    and open to this module's fixtures, whose writes commit: the live server's threads and a
    second connection must see them. The tests themselves only check what ``world`` gathered.

    No writing transaction may stay open on this connection while the feed is read: the feed
    serves only entries of transactions below the oldest one still running (exchange/
    changes.py), so a transaction left open here (as a test-wide ``db`` transaction would be)
    holds back every entry after it. PostgreSQL's horizon spans the cluster: a writing
    transaction left open in another database of the same server holds it back too."""

    class Committed(TransactionTestCase):
        serialized_rollback = True

        def runTest(self):
            pass

    database = Committed()
    with django_db_blocker.unblock():
        database._pre_setup()
        try:
            yield
        finally:
            database._post_teardown()


@pytest.fixture(scope="module")
def server(committed):
    """A live server over the committed data, with tasks run in-process and an empty cache
    (throttle counters), as the function-scoped fixtures of tests/conftest.py would set them
    for one test."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    cache.clear()
    live = LiveServer("localhost")
    live._live_server_modified_settings.enable()
    yield live
    live._live_server_modified_settings.disable()
    live.stop()
    cache.clear()
    celery_app.conf.task_always_eager = eager


@pytest.fixture(scope="module")
def records(committed):
    """The 2024 report, synthetic records with every nullable reference null, a partner-only
    case, and for each synced type a record the scenario will edit, one it will delete and one
    it will hide."""
    call_command("seed_report", stdout=StringIO())
    CaseFactory(court=None)
    CaseFactory(visibility=Visibility.PARTNERS)
    ChargeFactory(article=None, case__court=CourtFactory(province=None))
    decision = DecisionFactory(case__court=None)
    ruled, overturned = ChargeFactory.create_batch(2, case=decision.case)
    decision.charges.add(overturned)
    return SimpleNamespace(
        **{
            f"{action}_{kind}": FACTORIES[kind]()
            for kind in FACTORIES
            for action in ("edited", "deleted", "hidden")
        },
        case=CaseFactory(),
        defendant=DefendantFactory(),
        link=CaseDefendantFactory(),
        affiliation=AffiliationFactory(),
        decision=decision,
        ruled=ruled,
        overturned=overturned,
    )


@pytest.fixture(scope="module")
def client_for(generated, server, records):
    package, _ = generated

    def make(caller):
        if caller == "anonymous":
            return package.Client(base_url=server.url, raise_on_unexpected_status=True)
        partner = Partner.objects.create(name=f"Generated client NGO {Partner.objects.count()}")
        _, secret = ApiToken.issue(name="generated client", partner=partner)
        return package.AuthenticatedClient(
            base_url=server.url, token=secret, prefix="Token", raise_on_unexpected_status=True
        )

    return make


# Talking to the server through the generated client --------------------------------------------


def call(operations, operation_id, client, **params):
    """One request through the generated function; the parsed answer (a generated model)."""
    response = operations[operation_id].sync_detailed(client=client, **params)
    assert response.status_code == 200, response.content
    return response.parsed


def pull(operations, client, operation_id, **params):
    """Every record of one list, following ``next`` to the end, as generated models."""
    records, cursor = [], None
    while True:
        extra = {"cursor": cursor} if cursor else {}
        page = call(operations, operation_id, client, **params, **extra)
        records.extend(page.results)
        if not page.next_:
            return records
        cursor = parse_qs(urlsplit(page.next_).query)["cursor"][0]


def undocumented(value, where=""):
    """Paths of fields an answer carried that its schema does not list (the generated models
    keep them aside, in ``additional_properties``, instead of failing)."""
    if isinstance(value, list):
        return [
            path for i, item in enumerate(value) for path in undocumented(item, f"{where}[{i}]")
        ]
    if not attrs.has(type(value)):
        return []
    found = [f"{where}.{key}" for key in getattr(value, "additional_properties", {})]
    for field in attrs.fields(type(value)):
        if field.name != "additional_properties":
            found += undocumented(getattr(value, field.name), f"{where}.{field.name}")
    return found


def synced_types(package):
    return [member.value for member in package.models.TypeEnum]


def fresh_copy(package, operations, spec, client):
    """{type: {id: record as a dict}} of every synced type, pulled from the lists."""
    by_type = {kind: operation for kind, operation, _ in lists(spec, "partner")}
    return {
        kind: {record.id: record.to_dict() for record in pull(operations, client, by_type[kind])}
        for kind in synced_types(package)
    }


def differences(copy, fresh):
    """(type, id, what differs) between a synced copy and a fresh pull: missing, extra, or the
    fields whose values differ."""
    found = []
    for kind in sorted(fresh):
        ours, theirs = copy.get(kind, {}), fresh[kind]
        for pk in sorted(ours.keys() | theirs.keys()):
            if pk not in ours:
                found.append((kind, pk, "missing from the copy"))
            elif pk not in theirs:
                found.append((kind, pk, "no longer on the server"))
            else:
                fields = sorted(
                    k
                    for k in ours[pk].keys() | theirs[pk].keys()
                    if ours[pk].get(k) != theirs[pk].get(k)
                )
                if fields:
                    found.append((kind, pk, fields))
    return found


def item_model(package, spec, kind):
    (item,) = [item for listed, _, item in lists(spec, "partner") if listed == kind]
    return getattr(package.models, item)


def feed_page(operations, client, cursor, page_size=500):
    extra = {"cursor": cursor} if cursor else {}
    return call(operations, "changes_list", client, page_size=page_size, **extra)


def feed_end(operations, client):
    """The cursor after the last entry the feed serves now."""
    page = feed_page(operations, client, None)
    while page.next_:
        page = feed_page(operations, client, page.cursor)
    return page.cursor


def sync_through_the_feed(package, operations, spec, client, cursor, copy):
    """Apply every entry after ``cursor`` to ``copy``, in order (a page of 100, the default,
    so a sync takes several pages); the new cursor and the entries applied."""
    entries = []
    while True:
        page = feed_page(operations, client, cursor, page_size=100)
        for entry in page.results:
            kind = entry.type_.value
            if entry.record is None:
                copy[kind].pop(entry.id, None)
            else:
                record = item_model(package, spec, kind).from_dict(entry.record.to_dict())
                copy[kind][entry.id] = record.to_dict()
        entries.extend(page.results)
        cursor = page.cursor
        if not page.next_:
            return cursor, entries


def sync_through_updated_since(package, operations, spec, client, since, copy):
    """The README's nightly recipe: tombstones since the last ``server_time``, every list's
    records changed since then upserted, the tombstones' records dropped. The next
    ``server_time`` and the tombstones."""
    tombstones = call(operations, "tombstones_retrieve", client, updated_since=since)
    by_type = {kind: operation for kind, operation, _ in lists(spec, "partner")}
    for kind in synced_types(package):
        for record in pull(operations, client, by_type[kind], updated_since=since):
            copy[kind][record.id] = record.to_dict()
    for stone in tombstones.results:
        copy[stone.type_.value].pop(stone.id, None)
    return tombstones.server_time, list(tombstones.results)


# The changes -----------------------------------------------------------------------------------


def change_every_type(records):
    """Create, edit, delete and hide a record of every synced type; add and remove links
    (a defendant to an existing case, an affiliation, a decision's charges); create records
    with null references."""
    for kind in FACTORIES:
        FACTORIES[kind]()
        edited = getattr(records, f"edited_{kind}")
        field, value = EDITS[kind]
        setattr(edited, field, value)
        edited.save()
        getattr(records, f"deleted_{kind}").delete()
        hidden = getattr(records, f"hidden_{kind}")
        hidden.visibility = Visibility.MONITORS
        hidden.save()
    CaseDefendantFactory(case=records.case, defendant=records.defendant)
    records.link.delete()
    AffiliationFactory(defendant=records.defendant)
    records.affiliation.delete()
    records.decision.charges.add(records.ruled)
    records.decision.charges.remove(records.overturned)
    CaseFactory(court=None)
    ChargeFactory(case=CaseFactory(court=CourtFactory(province=None)), article=None)


def writers_elsewhere():
    """The writing transactions open on the PostgreSQL server, other than this connection's:
    until they end, the feed serves no entry of a later transaction, whatever its database.
    Said when the feed's copy falls short, so that a busy shared server is not mistaken for a
    bug."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datname, pid, state, now() - xact_start FROM pg_stat_activity"
            " WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


class LateTransaction:
    """A write in another connection's transaction, kept open until ``commit()``: a
    monitor's save still in flight while a partner syncs."""

    def __init__(self):
        self.opened, self.release = threading.Event(), threading.Event()
        self.made, self.errors = [], []
        self.thread = None

    def _write(self, write):
        try:
            with transaction.atomic():
                self.made.append(write())
                self.opened.set()
                self.release.wait(60)
        except Exception as error:  # noqa: BLE001 - reported to the caller by commit()
            self.errors.append(error)
            self.opened.set()
        finally:
            connection.close()

    def begin(self, write):
        self.thread = threading.Thread(target=self._write, args=(write,))
        self.thread.start()
        assert self.opened.wait(60) and not self.errors, self.errors
        return self.made[0]

    def commit(self):
        self.release.set()
        self.thread.join(60)
        assert not self.thread.is_alive() and not self.errors, self.errors


@pytest.fixture(scope="module")
def world(generated, spec, client_for, records):
    """Everything the tests check, gathered in one go before the first test ends (each test
    that commits empties the database when it ends): a full pull of every list by each kind of
    caller, then the scenario, as a partner: a first pull (two copies of it), every change, a
    first sync of each copy while a late transaction is still open (PostgreSQL), its commit, a
    second sync, and a fresh pull."""
    package, operations = generated
    pulled = {}
    for caller in CALLERS:
        client = client_for(caller)
        pulled[caller] = {kind: pull(operations, client, op) for kind, op, _ in lists(spec, caller)}

    client = client_for("partner")
    cursor = feed_end(operations, client)
    since = call(operations, "tombstones_retrieve", client, updated_since=EPOCH).server_time
    first = fresh_copy(package, operations, spec, client)
    feed_copy, since_copy = copy.deepcopy(first), copy.deepcopy(first)

    # On SQLite, writes are serialised and the test database is one in-memory connection the
    # live server shares: no second transaction can stay open while others commit
    # (the tests of the record committed late are skipped there).
    late = LateTransaction() if connection.vendor == "postgresql" else None
    saved_late = late.begin(lambda: DefendantFactory(name="Saved late")) if late else None
    try:
        change_every_type(records)
        cursor, entries = sync_through_the_feed(
            package, operations, spec, client, cursor, feed_copy
        )
        since, stones = sync_through_updated_since(
            package, operations, spec, client, since, since_copy
        )
        feed_after_first_sync = copy.deepcopy(feed_copy)
    finally:
        if late:
            late.commit()
    holding_back = writers_elsewhere()
    cursor, later = sync_through_the_feed(package, operations, spec, client, cursor, feed_copy)
    since, later_stones = sync_through_updated_since(
        package, operations, spec, client, since, since_copy
    )
    return SimpleNamespace(
        pulled=pulled,
        first=first,
        feed=feed_copy,
        since=since_copy,
        fresh=fresh_copy(package, operations, spec, client),
        entries=entries + later,
        feed_after_first_sync=feed_after_first_sync,
        stones=stones + later_stones,
        saved_late=saved_late,
        holding_back=holding_back,
    )


# Full pull --------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", CALLERS)
def test_a_full_pull_of_every_list_parses_through_the_generated_models(world, caller):
    pulled = world.pulled[caller]

    assert pulled["cases"], "the seeded cases were not pulled"
    assert any(case.court is None for case in pulled["cases"])
    assert any(charge.article is None for charge in pulled["charges"])
    assert any(court.province is None for court in pulled["courts"])


@pytest.mark.parametrize("caller", CALLERS)
def test_a_full_pull_carries_no_field_the_schema_does_not_list(world, caller):
    found = [
        f"{kind}{path}"
        for kind, records in world.pulled[caller].items()
        for path in undocumented(records)
    ]

    assert found == []


# Incremental sync -------------------------------------------------------------------------------
# As a partner, who mirrors the data; what anonymous callers may sync is tested in test_sync.py
# and test_changes.py.


def test_the_scenario_changes_every_synced_type():
    assert set(FACTORIES) == set(EDITS) == {t.partner_name for t in registry.synced()}


def test_the_feed_reports_each_type_created_updated_deleted_and_hidden(world):
    actions = {}
    for entry in world.entries:
        actions.setdefault(entry.type_.value, set()).add(entry.action.value)

    assert actions == dict.fromkeys(FACTORIES, {"created", "updated", "deleted", "hidden"})


def test_a_copy_synced_through_the_change_feed_equals_a_fresh_pull(world):
    assert differences(world.first, world.fresh) != []  # the changes reached the server
    assert differences(world.feed, world.fresh) == [], (
        f"writing transactions open as the sync started: {world.holding_back}"
    )


@pytest.mark.postgres
def test_a_record_committed_after_the_sync_started_reaches_the_feed_copy(world):
    late = world.saved_late.pk

    assert late not in world.feed_after_first_sync["defendants"]
    assert late in world.fresh["defendants"]
    assert world.feed["defendants"].get(late) == world.fresh["defendants"][late]


@pytest.mark.postgres
def test_a_record_committed_after_the_sync_started_reaches_the_updated_since_copy(world):
    late = world.saved_late.pk

    assert world.since["defendants"].get(late) == world.fresh["defendants"][late]


def test_updated_since_and_tombstones_report_deleted_and_hidden_records(world):
    assert {stone.reason.value for stone in world.stones} == {"deleted", "hidden"}


def test_a_copy_synced_through_updated_since_and_tombstones_equals_a_fresh_pull(world):
    # The record committed late has a test of its own, above.
    late = [("defendants", world.saved_late.pk)] if world.saved_late else []
    assert [found for found in differences(world.since, world.fresh) if found[:2] not in late] == []
