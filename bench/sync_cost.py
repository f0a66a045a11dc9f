"""What a partner's nightly sync costs on the wire, before and after the change feed (issue 15):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_sync_bench \\
        .venv/bin/python bench/sync_cost.py --cases 2000

It (re)creates the PostgreSQL database named in DATABASE_URL (its name must contain "bench":
it is dropped first), migrates, loads synthetic data (``generate_synthetic``) and gives every
record a history row and its ``created`` entry in the feed, as a server's records have. A
partner then copies everything twice, each way once:

- **before**: the README's "Incremental sync" recipe, as partners synced before the feed:
  tombstones, then every synced type's list with ``updated_since``, page by page;
- **after**: the README's "The change feed" recipe: the feed from the last cursor.

Then, for 0, 5 and 500 changes (edits, new and deleted records, in rotation), each recipe syncs
its copy once without and once with ``Accept-Encoding: gzip``. Requests and bytes (the answers'
bodies as sent; headers not counted) go to bench/sync-cost.json and a table is printed. After
every night both copies are compared with a fresh pull and the differences recorded (and
printed; tests/bench/test_sync_cost.py fails if the feed's copy differs). The lists' copy
keeps a case's old nested hearings until a parent's ``updated_at`` moves with its children
(issue 15, item 2).

The recipes are executed from README.md itself (the calls go through ``django.test.Client``), so
the figures are those of the code partners are told to run.
"""

import argparse
import copy
import gzip
import io
import json
import os
import sys
import time
import urllib.parse
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
OUTPUT = ROOT / "bench" / "sync-cost.json"
sys.path.insert(0, str(ROOT))

NIGHTS = (0, 5, 500)
HOSTS = ("https://tracker.example.org", "http://testserver")


def recipe(section):
    """The ``sync`` function of a README section's Python block, with its ``requests``."""
    text = README.read_text().split(section, 1)[1]
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    namespace = {}
    exec(code.replace("import requests\n", ""), namespace)  # noqa: S102 - our own README
    return namespace


class Wire:
    """``requests.get`` for the recipes, through the test client: counts requests and the
    bytes of the answers' bodies as sent (gzipped when ``gzip`` is asked for)."""

    def __init__(self, client, secret, gzip_answers):
        self.client, self.secret, self.gzip = client, secret, gzip_answers
        self.requests = self.bytes = 0

    def get(self, url, params=None, headers=None, timeout=None):
        for host in HOSTS:
            url = url.removeprefix(host)
        response = self.client.get(
            url,
            params or {},
            HTTP_AUTHORIZATION=f"Token {self.secret}",
            HTTP_ACCEPT_ENCODING="gzip" if self.gzip else "identity",
        )
        if response.status_code != 200:
            raise RuntimeError(f"{url} {params}: {response.status_code} {response.content[:300]}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        self.requests += 1
        self.bytes += len(body)
        if response.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return SimpleNamespace(json=lambda: json.loads(body))


class Store:
    """A partner's copy: {type: {id: record}}."""

    def __init__(self):
        self.tables = {}

    def upsert(self, kind, record):
        self.tables.setdefault(kind, {})[record["id"]] = record

    def delete(self, kind, record_id):
        self.tables.get(kind, {}).pop(record_id, None)


def sync(section, store, state, wire):
    """Run a README recipe's ``sync(store, state)`` over ``wire``; returns its new state."""
    namespace = recipe(section)
    namespace["requests"] = wire
    return namespace["sync"](store, state)


BEFORE = "### Incremental sync"
AFTER = "### The change feed"


def fresh_pull(client, secret, kinds):
    copy_ = Store()
    wire = Wire(client, secret, gzip_answers=False)
    for kind in kinds:
        url, params = f"/api/v1/{kind}/", {"page_size": 200}
        while url:
            page = wire.get(url, params).json()
            for record in page["results"]:
                copy_.upsert(kind, record)
            url, params = page["next"], None
    return copy_.tables


def kinds_of(store):
    return sorted(store.tables)


def nth(queryset, index):
    """The index-th record, counting round again on a small database."""
    return queryset[index % queryset.count()]


def make_changes(count):
    """``count`` changes a partner may see, the same for the same data: edits of cases,
    people, charges and hearings, a new hearing and a deleted one, in rotation."""
    from django.db import transaction

    from cases.models import Case, Charge
    from core.visibility import Visibility
    from defendants.models import Defendant
    from hearings.models import Hearing

    shared = {"visibility__lte": Visibility.PARTNERS}
    steps = ["case", "defendant", "charge", "new hearing", "deleted hearing"]
    with transaction.atomic():
        for index in range(count):
            step = steps[index % len(steps)]
            if step == "case":
                case = nth(Case.objects.filter(**shared).order_by("id"), index)
                case.summary = f"{case.summary} Updated ({index})."
                case.save()
            elif step == "defendant":
                person = nth(Defendant.objects.filter(**shared).order_by("id"), index)
                person.description = f"{person.description} Updated ({index})."
                person.save()
            elif step == "charge":
                charge = nth(Charge.objects.filter(**shared).order_by("id"), index)
                charge.label = f"Updated ({index})"
                charge.save()
            elif step == "new hearing":
                model = nth(Hearing.objects.filter(**shared).order_by("id"), index)
                model.pk = None
                model.id = None
                model._state.adding = True
                model.outcome = f"Added ({index})."
                model.save()
            else:
                nth(Hearing.objects.filter(**shared).order_by("-id"), index).delete()


def as_in_production():
    """What synthetic data lacks and a server's records have: a history row each (tombstones
    are judged from history, so a record loaded without one is never tombstoned) and their
    ``created`` entries in the feed (as after ``log_existing_records`` on an upgrade)."""
    from django.core.management import call_command

    quiet = io.StringIO()
    call_command("populate_history", auto=True, stdout=quiet, stderr=quiet)
    call_command("log_existing_records", stdout=quiet)


def hours_later():
    """Let the changes age past the sync's overlap, as a night does: a sync resumes a few
    seconds before its ``server_time`` (exchange/tombstones.py ``sync_horizon``), so records
    changed in the seconds before it would otherwise come again and be counted twice."""
    from django.conf import settings

    time.sleep(settings.SYNC_OVERLAP_SECONDS + 1)


def measure(client, secret, nights=NIGHTS, strict=True):
    """Copy everything both ways, then for each night of changes measure both recipes with and
    without gzip. Returns the results; raises if a copy differs from a fresh pull."""
    before, after = Store(), Store()
    hours_later()
    since = sync(BEFORE, before, None, Wire(client, secret, False))
    cursor = sync(AFTER, after, None, Wire(client, secret, False))
    results = {"nights": []}
    for count in nights:
        make_changes(count)
        hours_later()
        night = {"changes": count}
        for name, section, store, state in (
            ("before", BEFORE, before, since),
            ("after", AFTER, after, cursor),
        ):
            costs = {}
            for label, gzip_answers in (("plain", False), ("gzip", True)):
                trial = copy.deepcopy(store)
                wire = Wire(client, secret, gzip_answers)
                new_state = sync(section, trial, state, wire)
                costs[label] = {"requests": wire.requests, "bytes": wire.bytes}
            night[name] = costs
            store.tables = trial.tables
            if name == "before":
                since = new_state
            else:
                cursor = new_state
        truth = fresh_pull(client, secret, sorted(set(kinds_of(before)) | set(kinds_of(after))))
        night["copies_equal_a_fresh_pull"] = {
            "before": before.tables == truth,
            "after": after.tables == truth,
        }
        results["nights"].append(night)
        night["differences"] = {
            "before": differences(before.tables, truth),
            "after": differences(after.tables, truth),
        }
        if strict and after.tables != truth:
            raise AssertionError(
                f"after {count} changes the feed's copy differs from a fresh pull: "
                f"{night['differences']['after']}"
            )
    return results


def differences(tables, truth):
    """The first few (type, id, what) where a copy and a fresh pull differ."""
    found = []
    for kind in sorted(set(tables) | set(truth)):
        mine, theirs = tables.get(kind, {}), truth.get(kind, {})
        for record_id in sorted(set(mine) | set(theirs)):
            if record_id not in mine:
                found.append((kind, record_id, "missing"))
            elif record_id not in theirs:
                found.append((kind, record_id, "not deleted"))
            elif mine[record_id] != theirs[record_id]:
                fields = [
                    k for k in theirs[record_id] if mine[record_id].get(k) != theirs[record_id][k]
                ]
                found.append((kind, record_id, f"differs in {fields}"))
    return found[:10]


def kib(count):
    return f"{count / 1024:,.1f} KiB"


def table(results):
    lines = [
        "| changes | before: requests | before: bytes (gzip) | after: requests "
        "| after: bytes (gzip) |",
        "| ---: | ---: | ---: | ---: | ---: |",
    ]
    for night in results["nights"]:
        b, a = night["before"], night["after"]
        lines.append(
            f"| {night['changes']} | {b['plain']['requests']} | {kib(b['plain']['bytes'])} "
            f"({kib(b['gzip']['bytes'])}) | {a['plain']['requests']} "
            f"| {kib(a['plain']['bytes'])} ({kib(a['gzip']['bytes'])}) |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description="Requests and bytes of a nightly sync.")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql") or "bench" not in name:
        sys.exit("DATABASE_URL must name a PostgreSQL database whose name contains 'bench'.")

    from bench.run import BENCH_ENV, recreate_databases

    os.environ.update(BENCH_ENV)
    Path(BENCH_ENV["STATIC_ROOT"]).mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    from ops.synthetic import load
    from partners.models import ApiToken, Partner

    print(f"Creating {name} with {args.cases:,} synthetic cases …", flush=True)
    recreate_databases(parsed, [name])
    call_command("migrate", verbosity=0, interactive=False)
    load(args.cases, seed=args.seed)
    as_in_production()
    setup_test_environment()  # the test client's hosts; nothing else changes
    _, secret = ApiToken.issue(name="nightly sync", partner=Partner.objects.create(name="NGO"))

    # Not strict: a copy that differs is reported (in the results and below), not fatal.
    results = measure(Client(), secret, strict=False)
    results["cases"] = args.cases
    OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    for night in results["nights"]:
        for name, found in night["differences"].items():
            if found:
                print(f"{night['changes']} changes: the {name} copy differs: {found[:3]}")
    print(f"Written to {OUTPUT.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
