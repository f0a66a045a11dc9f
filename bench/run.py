"""Benchmark the tracker on synthetic data (issue 9): ``make bench``, or from the repository root

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \\
        .venv/bin/python bench/run.py --cases 20000

It (re)creates the PostgreSQL database named in DATABASE_URL (its name must contain "bench":
it is dropped first) and a small copy beside it, migrates, loads synthetic data with
``generate_synthetic`` (benchmark data: no history rows), then measures, in this process, with
production settings (DEBUG off, static files collected):

- queries per request, median and p95 latency of the API and public pages over many requests
  by ``django.test.Client`` (after a warm-up), the detention clock and the bulk export;
- the same data read by a hand-written PostgreSQL query building the JSON itself
  (bench/sql.py), in the same process and run, and the ratio between the two; the two are
  checked to return the same content;
- requests per second under gunicorn (2 workers) with bench/load.py in another process;
- the bulk export's peak memory (VmHWM, the peak resident size of a subprocess) on the small and
  the full database;
- which cached reads are still served from the cache after a monitors-only edit and after a
  public edit to one case (``cache_after_edit``: hits, misses and the hit rate).

Results go to bench/results.json (the last full run is committed beside the README figures it
backs; other output files are git-ignored) and a table is printed, with each target and
whether it is met. ``--quick`` (for CI, e.g. ``--cases 500 --quick``) does fewer iterations,
no gunicorn load unless ``--load``, and judges no target.
"""

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
sys.path.insert(0, str(ROOT))

# What the measured process runs with: production settings, except what a benchmark needs.
BENCH_ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
    "STATIC_ROOT": str(BENCH_DIR / "static"),
    "MEDIA_ROOT": str(BENCH_DIR / "media"),
    # One client makes thousands of anonymous requests: lift the throttle's budget (its cache
    # look-ups still run on every request).
    "API_RATE_ANON": "100000000/hour",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "CELERY_BROKER_URL": "",
    "LOG_LEVEL": "WARNING",
    # Production answers plain http with a redirect (TLS ends at the proxy in front of it).
    "SECURE_SSL_REDIRECT": "false",
    # The code itself is measured: cached reads off, except in the rows marked "cached" (and
    # the load test's production row), which turn them on.
    "READ_CACHE_SECONDS": "0",
}
CACHED = {"READ_CACHE_SECONDS": 600}

# From this many cases on, a run times each page for a while (``--budget``) rather than 200 times.
LARGE = 100_000

TARGETS = {
    "ratio": 2.0,
    "detail_ratio": 3.0,
    "cold_page_over_list": 3.0,
    "list_queries": 6,
    "p95_over_median": 1.5,
    "api_list_rps": 100.0,
    "page_ms": 50.0,
    "clock_seconds": 10.0,
    "export_memory_mb": 100.0,
}


# --- Databases -------------------------------------------------------------------------------


def database_url_parts(url):
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(
            "bench/run.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/"
            "tracker_bench (e.g. `make bench`)."
        )
    name = parsed.path.lstrip("/")
    if "bench" not in name:
        sys.exit(
            f"Refusing to drop and recreate the database {name!r}: its name must contain "
            "'bench' (e.g. tracker_bench)."
        )
    return parsed, name


def with_database(parsed, name):
    return urllib.parse.urlunparse(parsed._replace(path="/" + name))


def recreate_databases(parsed, names, template=None):
    """DROP and CREATE each of ``names`` (as copies of ``template`` if given)."""
    import psycopg

    admin = with_database(parsed, "postgres").replace("pgsql://", "postgresql://")
    with psycopg.connect(admin, autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            clause = f' TEMPLATE "{template}"' if template else " ENCODING 'UTF8'"
            connection.execute(f'CREATE DATABASE "{name}"{clause}')


# --- Measuring -------------------------------------------------------------------------------


def summary(seconds):
    """Median, p95 and count of a list of durations, in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    p95 = statistics.quantiles(ms, n=20, method="inclusive")[18] if len(ms) >= 2 else ms[0]
    return {
        "n": len(ms),
        "median_ms": round(statistics.median(ms), 2),
        "p95_ms": round(p95, 2),
        "min_ms": round(ms[0], 2),
    }


def timed(call, iterations, warmup, budget=None, least=20, before=None):
    """Durations of ``iterations`` calls after ``warmup`` untimed ones; with a ``budget``
    (seconds), stop early once it is spent and at least ``least`` calls are timed. ``before``
    (index), if given, runs untimed before each call."""
    for index in range(warmup):
        if before:
            before(index)
        call(index)
    spent = []
    deadline = time.perf_counter() + budget if budget else None
    for index in range(iterations):
        if before:
            before(index)
        began = time.perf_counter()
        call(index)
        spent.append(time.perf_counter() - began)
        if deadline and len(spent) >= least and time.perf_counter() > deadline:
            break
    return spent


def queries_of(call):
    """Queries one call makes, and the slowest of them (what dominates)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call(0)
    queries = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    return len(captured.captured_queries), [
        {"ms": round(float(q["time"]) * 1000, 1), "sql": q["sql"][:300]} for q in queries[:3]
    ]


def sql_text(sql, params):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return row[0] if row else None


def canonical(value):
    """Nested data with lists whose order the application leaves open (citations with the
    same source and paragraph) put in one order, for comparison."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        if items and all(isinstance(i, dict) and "source_title" in i for i in items):
            items.sort(key=lambda i: json.dumps(i, sort_keys=True))
        return items
    return value


def first_difference(left, right, path="$"):
    if type(left) is not type(right):
        return f"{path}: {left!r:.80} != {right!r:.80}"
    if isinstance(left, dict):
        for key in sorted(set(left) | set(right)):
            if key not in left or key not in right:
                return f"{path}.{key}: only in {'SQL' if key in right else 'app'}"
            found = first_difference(left[key], right[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(left, list):
        if len(left) != len(right):
            return f"{path}: {len(left)} items != {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if left == right else f"{path}: {left!r:.80} != {right!r:.80}"


def same(app, sql):
    difference = first_difference(canonical(app), canonical(sql))
    return "same" if difference is None else f"DIFFERS at {difference}"


class Bench:
    def __init__(self, args, level=0):
        from django.test import Client
        from django.utils import timezone

        from ops.synthetic import DEFAULT_TODAY

        self.args = args
        self.client = Client()
        self.level = level
        self.today = timezone.localdate()
        self.as_of = DEFAULT_TODAY
        self.results = {}
        self.iterations = args.iterations
        # Untimed requests first (caches, connections); three when pages are timed by the clock,
        # one at ten times the size (where one cold statistics page takes a minute or more and
        # a second warm-up would warm nothing more).
        if args.cases >= LARGE:
            self.warmup = 1
        else:
            self.warmup = 3 if args.budget else max(3, args.iterations // 10)
        self.slow_iterations = args.slow_iterations

    def get(self, path, expect=200):
        response = self.client.get(path)
        if response.status_code != expect:
            raise SystemExit(f"GET {path} answered {response.status_code}, not {expect}")
        if response.streaming:
            for _chunk in response.streaming_content:
                pass
        return response

    def measure(self, key, label, paths, sql, params, check, iterations=None, before=None):
        """Time GET ``paths`` (in turn) and ``sql`` (with ``params`` per index) alike;
        ``before`` (index), if given, runs untimed before each GET."""
        iterations = iterations or self.iterations
        print(f"  {label} …", flush=True)

        def app(index):
            return self.get(paths[index % len(paths)])

        def raw(index):
            return sql_text(sql, params(index))

        if before:
            before(0)
        queries, slowest = queries_of(app)
        app_times = timed(
            app, iterations, self.warmup, self.args.budget, self.args.least, before=before
        )
        # The same budget for the SQL: a cached page is quick, its SQL not (the cached
        # statistics page at 200,000 cases would otherwise wait on 200 runs of a slow query).
        sql_times = timed(raw, len(app_times), self.warmup, self.args.budget, self.args.least)
        result = {
            "label": label,
            "path": paths[0],
            "queries": queries,
            "slowest_queries": slowest,
            "app": summary(app_times),
            "sql": summary(sql_times),
            "content": check(),
        }
        result["ratio"] = round(result["app"]["median_ms"] / result["sql"]["median_ms"], 2)
        self.results[key] = result
        return result


def sample_ids(model, level, count, **filters):
    """``count`` visible records spread over the table (deterministic)."""
    ids = list(
        model.objects.filter(visibility__lte=level, **filters)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    step = max(1, len(ids) // count)
    return ids[::step][:count]


def measure_api(bench):
    from django.contrib.contenttypes.models import ContentType
    from django.test import override_settings

    from bench import sql as raw
    from cases.models import Case
    from defendants.models import Defendant

    level = bench.level
    case_type = ContentType.objects.get(app_label="cases", model="case").pk

    def check_list():
        return same(
            bench.get("/api/v1/cases/?page_size=50").json()["results"],
            json.loads(sql_text(raw.API_CASE_LIST, {"level": level, "limit": 50})),
        )

    bench.measure(
        "api_case_list",
        "API case list (page_size=50)",
        ["/api/v1/cases/?page_size=50"],
        raw.API_CASE_LIST,
        lambda i: {"level": level, "limit": 50},
        check_list,
    )
    with override_settings(**CACHED):
        bench.measure(
            "api_case_list_cached",
            "API case list (page_size=50), cached",
            ["/api/v1/cases/?page_size=50"],
            raw.API_CASE_LIST,
            lambda i: {"level": level, "limit": 50},
            check_list,
        )

    ids = sample_ids(Case, level, 50)

    def check_details():
        for pk in ids[:20]:
            app = bench.get(f"/api/v1/cases/{pk}/").json()
            found = same(app, json.loads(sql_text(raw.API_CASE_DETAIL, detail_params(pk))))
            if found != "same":
                return f"case {pk}: {found}"
        return "same"

    def detail_params(pk):
        return {"level": level, "pk": pk, "case_type": case_type}

    bench.measure(
        "api_case_detail",
        f"API case detail ({len(ids)} cases in turn)",
        [f"/api/v1/cases/{pk}/" for pk in ids],
        raw.API_CASE_DETAIL,
        lambda i: detail_params(ids[i % len(ids)]),
        check_details,
    )

    filters = {"article": "494", "status": "pretrial", "province": "Phnom Penh"}
    path = "/api/v1/cases/?" + urllib.parse.urlencode({"page_size": 50, **filters})
    filtered = {"level": level, "limit": 50, **filters}
    bench.measure(
        "api_case_list_filtered",
        "API case list, article 494 + status + province",
        [path],
        raw.API_CASE_LIST_FILTERED,
        lambda i: filtered,
        lambda: same(
            bench.get(path).json()["results"],
            json.loads(sql_text(raw.API_CASE_LIST_FILTERED, filtered)),
        ),
    )

    people = sample_ids(Defendant, level, 50)
    as_of = bench.as_of.isoformat()

    def person_params(pk):
        return {"level": level, "pk": pk, "as_of": as_of}

    def check_people():
        for pk in people[:20]:
            app = bench.get(f"/api/v1/defendants/{pk}/?as_of={as_of}").json()
            found = same(app, json.loads(sql_text(raw.API_DEFENDANT_DETAIL, person_params(pk))))
            if found != "same":
                return f"defendant {pk}: {found}"
        return "same"

    bench.measure(
        "api_defendant_detail",
        f"API defendant detail ?as_of ({len(people)} people in turn)",
        [f"/api/v1/defendants/{pk}/?as_of={as_of}" for pk in people],
        raw.API_DEFENDANT_DETAIL,
        lambda i: person_params(people[i % len(people)]),
        check_people,
    )


def fair_trial_figures(level):
    """The fair-trial indicators as the statistics page computes them, in the shape of the
    hand-written SQL's ``fair-trial`` object: ``[key, right, hearings, violated]`` rows."""
    from fairtrial import indicators

    def rows(keyed, key):
        found = [
            [row[key], row["item__code"], row["hearings"], row["violated"]] for *_, row in keyed
        ]
        return sorted(found, key=lambda r: (r[0] is None, r[0] if r[0] is not None else 0, r[1]))

    answers = indicators.observed_answers(level)
    return {
        "rights": sorted(
            ["", i.code, i.hearings, i.violated] for i in indicators.right_indicators(level)
        ),
        "court": rows(indicators.by_court(answers), "court"),
        "year": rows(indicators.by_year(answers), "year"),
        "article": rows(indicators.by_article(answers, level), "article_id"),
    }


def measure_pages(bench):
    from django.contrib.contenttypes.models import ContentType
    from django.test import override_settings

    from bench import sql as raw
    from cases.models import Case, CaseDefendant, Charge
    from defendants.models import CustodyPeriod
    from hearings.models import Decision, DecisionKind, Hearing
    from public.facets import case_facets
    from public.statistics import all_charts
    from public.views.cases import public_case

    level = bench.level
    today = bench.today.isoformat()

    def check_list():
        data = json.loads(sql_text(raw.PUBLIC_CASE_LIST, {"level": level, "today": today}))
        visible = Case.objects.visible_to(level)
        page_ids = list(visible.order_by("title", "pk").values_list("pk", flat=True)[:25])
        facets = case_facets(visible, level)
        app = {
            "count": visible.count(),
            "ids": page_ids,
            "status": [[v, n] for v, _label, n in facets["status"]],
            "article": [[v, n] for v, _label, n in facets["article"]],
            "court": [[v, label, n] for v, label, n in facets["court"]],
            "province": [[v, n] for v, _label, n in facets["province"]],
            "category": sorted([v, n] for v, _label, n in facets["category"]),
            "year": [[v, n] for v, _label, n in facets["year"]],
            "in_detention": sum(n for _v, _label, n in facets["in_detention"]),
        }
        sql_facets = data["facets"]
        sql = {
            "count": data["count"],
            "ids": [c["id"] for c in data["cases"]],
            **{k: sql_facets[k] or [] for k in ("status", "article", "court", "province")},
            "category": sorted(sql_facets["category"] or []),
            "year": sql_facets["year"] or [],
            "in_detention": sql_facets["in_detention"],
        }
        return same(app, sql)

    bench.measure(
        "public_case_list",
        "Public case list with facets (/cases/)",
        ["/cases/"],
        raw.PUBLIC_CASE_LIST,
        lambda i: {"level": level, "today": today},
        check_list,
    )
    edited = sample_ids(Case, level, 50)

    def edit_one(index):
        # A save moves the case's "changed" times, as any edit to it or in it does: the next
        # read reads that case's facet values again (public/facets.py), and only that case's.
        Case.objects.get(pk=edited[index % len(edited)]).save()

    bench.measure(
        "public_case_list_after_edit",
        "Public case list with facets, first read after an edit",
        ["/cases/"],
        raw.PUBLIC_CASE_LIST,
        lambda i: {"level": level, "today": today},
        check_list,
        before=edit_one,
    )
    with override_settings(**CACHED):
        bench.measure(
            "public_case_list_cached",
            "Public case list with facets (/cases/), cached",
            ["/cases/"],
            raw.PUBLIC_CASE_LIST,
            lambda i: {"level": level, "today": today},
            check_list,
        )

    types = {
        f"{name}_type": ContentType.objects.get_for_model(model).pk
        for name, model in (
            ("case", Case),
            ("link", CaseDefendant),
            ("charge", Charge),
            ("hearing", Hearing),
            ("decision", Decision),
            ("custody", CustodyPeriod),
        )
    }
    ids = sample_ids(Case, level, 50)

    def page_params(pk):
        return {"level": level, "pk": pk, **types}

    def check_pages():
        for pk in ids[:20]:
            case = public_case(pk)
            data = json.loads(sql_text(raw.PUBLIC_CASE_PAGE, page_params(pk)))
            app, sql = {}, {}
            for name in ("parties", "charges", "hearings", "decisions", "custody_periods"):
                records = getattr(case, f"visible_{name}")
                app[name] = [[r.pk, len(r.visible_citations)] for r in records]
                sql[name] = [[r["id"], len(r["citations"])] for r in data[name]]
            app["citations"] = len(case.visible_citations)
            sql["citations"] = len(data["citations"])
            found = same(app, sql)
            if found != "same":
                return f"case {pk}: {found}"
        return "same"

    bench.measure(
        "public_case_page",
        f"Public case page (/cases/<id>/, {len(ids)} cases in turn)",
        [f"/cases/{pk}/" for pk in ids],
        raw.PUBLIC_CASE_PAGE,
        lambda i: page_params(ids[i % len(ids)]),
        check_pages,
    )

    def check_statistics():
        charts = {chart.slug: chart.rows for chart in all_charts(level)}
        data = json.loads(sql_text(raw.STATISTICS, {"level": level, "today": today}))
        labels = {str(label): value for value, label in DecisionKind.choices}
        app = {
            "cases-per-article": [list(row) for row in charts["cases-per-article"]],
            "outcomes": {labels[label]: n for label, n in charts["outcomes"]},
            "detention-durations": [n for _label, n in charts["detention-durations"]],
            "events-per-month": [list(row) for row in charts["events-per-month"]],
        }
        found = same(app, {k: data[k] or ([] if k != "outcomes" else {}) for k in app})
        if found != "same":
            return found
        return same(fair_trial_figures(level), {k: v or [] for k, v in data["fair-trial"].items()})

    bench.measure(
        "statistics",
        "Statistics page (/statistics/)",
        ["/statistics/"],
        raw.STATISTICS,
        lambda i: {"level": level, "today": today},
        check_statistics,
    )
    with override_settings(**CACHED):
        bench.measure(
            "statistics_cached",
            "Statistics page (/statistics/), cached",
            ["/statistics/"],
            raw.STATISTICS,
            lambda i: {"level": level, "today": today},
            check_statistics,
        )


def measure_invalidation(bench):
    """After one edit, which cached reads are still served from the cache (issue 19): warm
    the public case list, the statistics, the API's case list and two cases' details, make a
    monitors-only edit to one case, read them all again, then a public edit, and again. Each
    read is counted as a hit or a miss by core/caching.py; the edits are undone after."""
    from django.core.cache import cache
    from django.test import override_settings

    from cases.models import Case
    from core import caching
    from core.visibility import Visibility

    public = Visibility.PUBLIC
    with_charges = (
        Case.objects.visible_to(public)
        .filter(charges__isnull=False)
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    edited_pk, other_pk = with_charges.first(), with_charges.last()
    reads = {
        "public case list (/cases/)": ("/cases/", "facets"),
        "statistics (/statistics/)": ("/statistics/", "statistics"),
        "API case list (/api/v1/cases/)": ("/api/v1/cases/", "api-cases"),
        "API detail of the edited case": (f"/api/v1/cases/{edited_pk}/", "api-case"),
        "API detail of another case": (f"/api/v1/cases/{other_pk}/", "api-case"),
    }
    print("  Cached reads after one edit …", flush=True)

    def read_all():
        found = {}
        for label, (path, name) in reads.items():
            caching.reset_stats()
            started = time.perf_counter()
            bench.get(path)
            ms = round((time.perf_counter() - started) * 1000, 1)
            hit = caching.stats().get((name, "hit"), 0) > 0
            found[label] = {"served_from_cache": hit, "ms": ms}
        return found

    def after(change):
        change()  # in autocommit: the counters move as it commits
        found = read_all()
        hits = sum(1 for x in found.values() if x["served_from_cache"])
        return {"reads": found, "hit_rate": round(hits / len(found), 2)}

    case = Case.objects.get(pk=edited_pk)
    kept = (case.review_note, case.title)

    def monitors_only_edit():
        case.review_note = "Benchmark: a monitors-only note"
        case.save()

    def public_edit():
        case.title = f"{kept[1]} (edited)"
        case.save()

    with override_settings(**CACHED):
        cache.clear()
        cold = read_all()
        result = {
            "label": "Cached reads after one edit to one case",
            "edited_case": edited_pk,
            "other_case": other_pk,
            "cold": cold,
            "warm": read_all(),
            "monitors_only_edit": after(monitors_only_edit),
            "public_edit": after(public_edit),
        }
    case.review_note, case.title = kept
    case.save()
    bench.results["cache_after_edit"] = result


def measure_clock(bench):
    from django.db import transaction

    from bench import sql as raw
    from defendants.clock import pretrial_clock
    from defendants.models import Defendant, DetentionAlert
    from defendants.tasks import check_detention_limits

    iterations = bench.slow_iterations
    # The synthetic world's last day: its open custody periods are confirmed up to it, so they
    # are current then (core/currency.py). On the real today, months later, nobody would be
    # held as far as current sources say, and the clock would time an empty list.
    as_of = bench.as_of
    params = {"as_of": as_of.isoformat()}
    print("  detention clock …", flush=True)

    def entries():
        return [
            {
                "period": e.period.pk,
                "defendant": e.period.defendant_id,
                "case": e.period.case_id,
                "days_held": e.days_held,
                "offence_class": str(e.offence_class),
                "charge": e.charge.pk if e.charge else None,
                "rule": e.rule.pk if e.rule else None,
                "extensions": e.extensions,
                "limit_months": float(e.limit_months) if e.limit_months is not None else None,
                "limit_date": e.limit_date.isoformat() if e.limit_date else None,
                "days_left": e.days_left,
            }
            for e in pretrial_clock(as_of)
        ]

    sql_entries = json.loads(sql_text(raw.PRETRIAL_CLOCK, params))
    for entry in sql_entries:
        if entry["limit_months"] is not None:
            entry["limit_months"] = float(entry["limit_months"])
    app_entries = entries()
    queries, slowest = queries_of(lambda _i: pretrial_clock(as_of))
    clock_times = timed(lambda _i: pretrial_clock(as_of), iterations, 1)
    sql_times = timed(lambda _i: sql_text(raw.PRETRIAL_CLOCK, params), iterations, 1)
    result = {
        "label": "Detention clock: pretrial_clock() over all people held",
        "path": "defendants.clock.pretrial_clock",
        "defendants": Defendant.objects.count(),
        "entries": len(app_entries),
        "queries": queries,
        "slowest_queries": slowest,
        "app": summary(clock_times),
        "sql": summary(sql_times),
        "content": same(app_entries, sql_entries),
    }
    result["ratio"] = round(result["app"]["median_ms"] / result["sql"]["median_ms"], 2)
    bench.results["detention_clock"] = result

    # The nightly task itself: its first run raises every alert due (and writes their history);
    # later runs find them raised. Both are timed, then the alerts are rolled back.
    print("  detention clock task …", flush=True)
    with transaction.atomic():
        began = time.perf_counter()
        check_detention_limits(as_of.isoformat())
        first = time.perf_counter() - began
        alerts = DetentionAlert.objects.count()
        queries, slowest = queries_of(lambda _i: check_detention_limits(as_of.isoformat()))
        later = timed(lambda _i: check_detention_limits(as_of.isoformat()), iterations, 0)
        transaction.set_rollback(True)
    bench.results["detention_task"] = {
        "label": "Detention clock task: check_detention_limits (nightly)",
        "path": "defendants.tasks.check_detention_limits",
        "defendants": Defendant.objects.count(),
        "alerts_raised_by_first_run": alerts,
        "first_run_ms": round(first * 1000, 1),
        "queries": queries,
        "slowest_queries": slowest,
        "app": summary(later),
    }


def measure_export(bench):
    from django.db import connection

    from bench import sql as raw

    path = "/api/v1/export/cases.json"
    iterations = bench.slow_iterations
    print("  bulk export …", flush=True)
    level = bench.level

    def app(_index):
        response = bench.client.get(path)
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        return size

    def raw_export(_index):
        from django.db import transaction

        size = 1
        # A server-side cursor: rows arrive as they are built, like the streamed response.
        with transaction.atomic(), connection.connection.cursor(name="bench_export") as cursor:
            cursor.itersize = 500
            cursor.execute(raw.EXPORT_CASES, {"level": level, "case_type": case_type()})
            for (text,) in cursor:
                size += len(text) + 2
        return size

    def case_type():
        from django.contrib.contenttypes.models import ContentType

        return ContentType.objects.get(app_label="cases", model="case").pk

    def check():
        response = bench.client.get(path)
        app_records = []
        count = 0
        for chunk in response.streaming_content:
            text = chunk.decode() if isinstance(chunk, bytes) else chunk
            text = text.lstrip(",\n[")
            if text.startswith("{"):
                count += 1
                if len(app_records) < 100:
                    app_records.append(json.loads(text.rstrip("]\n")))
        sql_records = []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM ({raw.EXPORT_CASES}) x",
                {"level": level, "case_type": case_type()},
            )
            sql_count = cursor.fetchone()[0]
            cursor.execute(
                raw.EXPORT_CASES + " LIMIT 100", {"level": level, "case_type": case_type()}
            )
            sql_records = [json.loads(row[0]) for row in cursor.fetchall()]
        if count != sql_count:
            return f"DIFFERS: {count} records != {sql_count}"
        found = same(app_records, sql_records)
        return found if found != "same" else f"same ({count} records; first 100 compared)"

    queries, slowest = queries_of(app)
    sizes = []
    app_times = timed(lambda i: sizes.append(app(i)), iterations, 0)
    sql_times = timed(raw_export, iterations, 0)
    result = {
        "label": "Bulk export /api/v1/export/cases.json (streamed)",
        "path": path,
        "bytes": sizes[-1] if sizes else None,
        "queries": queries,
        "slowest_queries": slowest,
        "app": summary(app_times),
        "sql": summary(sql_times),
        "content": check(),
    }
    result["ratio"] = round(result["app"]["median_ms"] / result["sql"]["median_ms"], 2)
    bench.results["export"] = result


# --- Subprocesses: gunicorn under load, export memory -----------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def child_env(database_url, **extra):
    env = {**os.environ, **BENCH_ENV, "DATABASE_URL": database_url, **extra}
    env["PYTHONPATH"] = str(ROOT)
    return env


def load_test(database_url, paths, seconds, settings):
    """Requests per second of gunicorn (2 sync workers) under bench/load.py."""
    import http.client

    port = free_port()
    log = open(BENCH_DIR / "gunicorn.log", "a")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "cambodia_tracker.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=child_env(database_url, **settings),
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.time() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/robots.txt")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start: see var/bench/gunicorn.log") from None
                time.sleep(0.3)
        # Warm both workers (imports, first queries) before counting.
        subprocess.run(
            [sys.executable, str(ROOT / "bench" / "load.py"), "--port", str(port)]
            + ["--seconds", "3", "--threads", "4", *paths],
            check=True,
            capture_output=True,
        )
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "load.py"), "--port", str(port)]
            + ["--seconds", str(seconds), "--threads", "6", *paths],
            check=True,
            capture_output=True,
            text=True,
        )
        return json.loads(done.stdout)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def export_memory(database_url):
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--export-worker"],
        cwd=ROOT,
        env=child_env(database_url),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def peak_rss_mb():
    """This process's peak resident memory, in MB: VmHWM, the high-water mark of its own
    address space. (``ru_maxrss`` is reported too, but on Linux it keeps the parent's resident
    size from before the fork and exec, here the whole benchmark's, and hides the export's.)"""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def export_worker():
    """In a fresh process: stream the whole export once; report the peak resident memory."""
    import django

    django.setup()
    from django.test import Client

    from cases.models import Case

    client = Client()
    client.get("/api/v1/cases/?page_size=1")  # load the code the export uses
    baseline = peak_rss_mb()
    began = time.perf_counter()
    size = 0
    for chunk in client.get("/api/v1/export/cases.json").streaming_content:
        size += len(chunk)
    print(
        json.dumps(
            {
                "cases": Case.objects.count(),
                "bytes": size,
                "seconds": round(time.perf_counter() - began, 1),
                "baseline_mb": baseline,
                "peak_mb": peak_rss_mb(),
                "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
            }
        )
    )


# --- The table ------------------------------------------------------------------------------


def verdict(ok):
    return "met" if ok else "NOT MET"


def judge(results, quick):
    """Each target, its figure and met / not met (not judged in quick mode)."""
    t = TARGETS
    checks = []

    def add(key, text, ok):
        if key in results:
            checks.append((key, text, None if quick else ok))

    r = results
    if "api_case_list" in r:
        x = r["api_case_list"]
        add("api_case_list", f"≤ {t['ratio']}× SQL: {x['ratio']}×", x["ratio"] <= t["ratio"])
        add(
            "api_case_list",
            f"≤ {t['list_queries']} queries: {x['queries']}",
            x["queries"] <= t["list_queries"],
        )
    if "api_case_list_filtered" in r:
        x = r["api_case_list_filtered"]
        add(
            "api_case_list_filtered",
            f"≤ {t['ratio']}× SQL: {x['ratio']}×",
            x["ratio"] <= t["ratio"],
        )
    # Issue 19: the cold pages within 3× the API list, the details, page and clock within 3×
    # their SQL, the export within 2× of its own.
    if "api_case_list" in r:
        list_ms = r["api_case_list"]["app"]["median_ms"]
        for key in ("public_case_list", "statistics"):
            if key in r:
                times = r[key]["app"]["median_ms"] / list_ms
                add(
                    key,
                    f"≤ {t['cold_page_over_list']:.0f}× the API list: {times:.1f}×",
                    times <= t["cold_page_over_list"],
                )
    for key, limit in (
        ("api_case_detail", t["detail_ratio"]),
        ("api_defendant_detail", t["detail_ratio"]),
        ("public_case_page", t["detail_ratio"]),
        ("detention_clock", t["detail_ratio"]),
        ("export", t["ratio"]),
    ):
        if key in r and r[key].get("ratio") is not None:
            ratio = r[key]["ratio"]
            add(key, f"≤ {limit:.0f}× SQL: {ratio}×", ratio <= limit)
    for key, x in r.items():
        if isinstance(x, dict) and "app" in x and x["app"]["n"] >= 20:
            spread = x["app"]["p95_ms"] / x["app"]["median_ms"]
            add(key, f"p95 ≤ {t['p95_over_median']}× median: {spread:.2f}×", spread <= 1.5)
    # The statistics page meets its target by caching (computed once per change to the data).
    for key in ("public_case_page", "statistics_cached"):
        if key in r:
            ms = r[key]["app"]["median_ms"]
            add(key, f"≤ {t['page_ms']:.0f} ms: {ms:.1f} ms", ms <= t["page_ms"])
    if "cache_after_edit" in r:
        # A change only monitors see ends none of the public's cached reads; a public edit
        # to one case leaves the other cases' cached answers.
        x = r["cache_after_edit"]
        rate = x["monitors_only_edit"]["hit_rate"]
        add("cache_after_edit", f"all warm after a monitors-only edit: {rate:.0%}", rate == 1)
        other = x["public_edit"]["reads"]["API detail of another case"]["served_from_cache"]
        add("cache_after_edit", f"other case warm after a public edit: {other}", other)
    if "detention_task" in r:
        x = r["detention_task"]
        worst = max(x["first_run_ms"], x["app"]["median_ms"]) / 1000
        add(
            "detention_task",
            f"≤ {t['clock_seconds']:.0f} s over {x['defendants']:,} people: {worst:.2f} s",
            worst <= t["clock_seconds"],
        )
    for key in ("load_api_case_list_persistent", "load_api_case_list_production"):
        if key in r:
            rps = r[key]["requests_per_second"]
            add(key, f"≥ {t['api_list_rps']:.0f} req/s: {rps}", rps >= t["api_list_rps"])
    if "export_memory" in r:
        growth = r["export_memory"]["growth_mb"]
        add(
            "export_memory",
            f"growth ≤ {t['export_memory_mb']:.0f} MB: {growth:+.1f} MB",
            abs(growth) <= t["export_memory_mb"],
        )
    return checks


def table(results, quick):
    lines = [
        f"{'measure':<52} {'queries':>7} {'median ms':>10} {'p95 ms':>9} {'n':>4} "
        f"{'SQL ms':>9} {'ratio':>6}  content",
    ]
    for x in results.values():
        if not isinstance(x, dict) or "app" not in x:
            continue
        sql = x.get("sql")
        lines.append(
            f"{x['label'][:52]:<52} {x.get('queries', ''):>7} {x['app']['median_ms']:>10.1f} "
            f"{x['app']['p95_ms']:>9.1f} {x['app']['n']:>4} "
            f"{(sql['median_ms'] if sql else float('nan')):>9.1f} "
            f"{x.get('ratio', float('nan')):>6.2f}  {x.get('content', '')[:60]}"
        )
    if "detention_task" in results:
        x = results["detention_task"]
        lines.append(
            f"  (task's first run: {x['first_run_ms'] / 1000:.2f} s, raising "
            f"{x['alerts_raised_by_first_run']:,} alerts; later runs above)"
        )
    if "cache_after_edit" in results:
        x = results["cache_after_edit"]
        for edit in ("monitors_only_edit", "public_edit"):
            served = ", ".join(
                f"{label.split(' (')[0]} {'hit' if read['served_from_cache'] else 'miss'}"
                for label, read in x[edit]["reads"].items()
            )
            lines.append(
                f"  after the {edit.replace('_', ' ')}: {x[edit]['hit_rate']:.0%} hits ({served})"
            )
    for key, x in results.items():
        if key.startswith("load_"):
            lines.append(
                f"{x['label'][:52]:<52} {x['requests_per_second']:>8.1f} req/s  median "
                f"{x.get('median_ms', 0):.1f} ms, p95 {x.get('p95_ms', 0):.1f} ms, "
                f"{x['requests_ok']} ok of {sum(x['statuses'].values())} in {x['seconds']} s"
            )
    if "export_memory" in results:
        x = results["export_memory"]
        lines.append(
            f"{'Export peak memory (VmHWM)':<52} {x['small']['cases']:,} cases "
            f"{x['small']['peak_mb']:.0f} MB, {x['full']['cases']:,} cases "
            f"{x['full']['peak_mb']:.0f} MB: {x['growth_mb']:+.1f} MB"
        )
    lines.append("")
    lines.append("Targets" + (" (quick run: not judged)" if quick else ""))
    for key, text, ok in judge(results, quick):
        mark = "-" if ok is None else verdict(ok)
        lines.append(f"  {key:<26} {text:<52} {mark}")
    return "\n".join(lines)


# --- Main -----------------------------------------------------------------------------------


def measure_load(results, args, parsed, name, small_name):
    from cases.models import Case

    url = with_database(parsed, name)
    ids = sample_ids(Case, 0, 50)
    print(f"Load test under gunicorn (2 workers, {args.load_seconds:.0f} s each) …")
    api = ["/api/v1/cases/?page_size=50"]
    pages = [f"/cases/{pk}/" for pk in ids]
    production = {"CONN_MAX_AGE": "60", "READ_CACHE_SECONDS": "600"}  # docker-compose.yml
    for key, label, paths, settings in (
        ("load_api_case_list", "API case list, gunicorn, no cache, no kept conn.", api, {}),
        (
            "load_api_case_list_persistent",
            "API case list, gunicorn, CONN_MAX_AGE=60, no cache",
            api,
            {"CONN_MAX_AGE": "60"},
        ),
        (
            "load_api_case_list_production",
            "API case list, gunicorn, production settings",
            api,
            production,
        ),
        ("load_public_case_page", "Public case page, gunicorn, no kept conn.", pages, {}),
        (
            "load_public_case_page_production",
            "Public case page, gunicorn, production settings",
            pages,
            production,
        ),
    ):
        print(f"  {label} …", flush=True)
        outcome = load_test(url, paths, args.load_seconds, settings)
        results[key] = {"label": label, "settings": settings, **outcome}


def measure_memory(results, args, parsed, name, small_name):
    print("Export peak memory …", flush=True)
    small = export_memory(with_database(parsed, small_name))
    full = export_memory(with_database(parsed, name))
    results["export_memory"] = {
        "small": small,
        "full": full,
        "growth_mb": round(full["peak_mb"] - small["peak_mb"], 1),
    }


STEPS = {
    "api": measure_api,
    "pages": measure_pages,
    "invalidation": measure_invalidation,
    "clock": measure_clock,
    "export": measure_export,
    "load": measure_load,
    "memory": measure_memory,
}
# The result each step leaves, to tell a complete results file.
EXPECTED = {
    "api": "api_defendant_detail",
    "pages": "statistics",
    "invalidation": "cache_after_edit",
    "clock": "detention_task",
    "export": "export",
    "load": "load_public_case_page",
    "memory": "export_memory",
}


def database_bytes():
    """The measured database's size on disk (tables and indexes)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        return cursor.fetchone()[0]


def reusable(earlier, args):
    """What a ``--reuse`` run keeps of the results file it finds: that run's results and load
    report when it measured the same data (size and seed), so ``--only`` can redo some steps;
    nothing when it measured other data, whose figures would pass for this size's."""
    same_data = earlier.get("cases") == args.cases and earlier.get("seed") == args.seed
    return earlier if same_data and not earlier.get("quick") else {}


def with_retry(step, attempts=3):
    """Run ``step``; if the database server went away (restarted under us: the machine is
    shared), wait for it and run the step again, up to ``attempts`` times in all."""
    from django.db import OperationalError, connection

    for attempt in range(1, attempts + 1):
        try:
            return step()
        except OperationalError as error:
            if attempt == attempts:
                raise
            print(f"  database connection lost ({error}); waiting to retry the step", flush=True)
            connection.close()
            deadline = time.time() + 120
            while True:
                try:
                    connection.ensure_connection()
                    break
                except OperationalError:
                    if time.time() > deadline:
                        raise
                    time.sleep(2)


def prepare(args, parsed, name, small_name):
    """Fresh databases with synthetic data; returns the load report."""
    from django.core.management import call_command
    from django.db import connection

    from ops.synthetic import load

    small_cases = 1000 if args.cases >= 5000 else max(1, args.cases // 5)
    print(f"Creating {name} and {small_name} …", flush=True)
    recreate_databases(parsed, [name])
    call_command("migrate", verbosity=0, interactive=False)
    connection.close()
    # The small database starts as a copy of the freshly migrated one.
    recreate_databases(parsed, [small_name], template=name)

    print(f"Loading {args.cases:,} synthetic cases …", flush=True)
    report = load(args.cases, seed=args.seed)
    for line in report.lines():
        print("  " + line)
    print(f"Loading {small_cases:,} synthetic cases into {small_name} …", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "generate_synthetic", "--cases", str(small_cases), "--force"]
        + ["--seed", str(args.seed)],
        cwd=ROOT,
        env=child_env(with_database(parsed, small_name)),
        check=True,
        capture_output=True,
    )
    # A settled database: visibility map and statistics as after autovacuum.
    connection.close()
    import psycopg

    with psycopg.connect(with_database(parsed, name).replace("pgsql://", "postgresql://")) as pg:
        pg.autocommit = True
        pg.execute("VACUUM ANALYZE")
    return {
        "rows": report.rows,
        "seconds": round(report.total_seconds, 2),
        "rows_per_second": round(report.rate),
        "tables": {
            t.table: {"rows": t.rows, "write_seconds": round(t.seconds, 2)} for t in report.tables
        },
        "report": list(report.lines()),
    }


def main():
    parser = argparse.ArgumentParser(description="Benchmark the tracker on synthetic data.")
    parser.add_argument("--cases", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="Few iterations, for CI.")
    parser.add_argument("--load", action="store_true", help="Run the gunicorn load test too.")
    parser.add_argument("--iterations", type=int, help="Requests timed per page (≥ 200).")
    parser.add_argument("--slow-iterations", type=int, help="Runs of the clock and the export.")
    parser.add_argument(
        "--budget",
        type=float,
        help="Seconds of timed requests per page, after which fewer than --iterations (but at "
        "least --least) are kept; the table shows how many. Default: no limit.",
    )
    parser.add_argument(
        "--least",
        type=int,
        help="With --budget, requests timed per page however long they take (default 20; 3 "
        "from 100,000 cases on).",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Measure the databases a previous run loaded (to compare before and after a fix) "
        "instead of making them again.",
    )
    parser.add_argument(
        "--only",
        help=f"Comma-separated steps to run, of {','.join(STEPS)} (default: all). With --reuse, "
        "the other results are kept from the previous results file.",
    )
    parser.add_argument("--load-seconds", type=float, default=15.0)
    parser.add_argument("--output", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument("--export-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.export_worker:
        return export_worker()
    if args.cases <= 0:
        parser.error("--cases must be positive")
    steps = args.only.split(",") if args.only else list(STEPS)
    if set(steps) - set(STEPS):
        parser.error(f"unknown step in --only: choose from {', '.join(STEPS)}")
    args.iterations = args.iterations or (20 if args.quick else 200)
    large = args.cases >= LARGE
    args.slow_iterations = args.slow_iterations or (2 if args.quick or large else 5)
    if large and args.budget is None:
        # At ten times the size a cold statistics page takes a minute: 200 of each would take
        # days. Time each page for a minute (and at least 3 requests) instead.
        args.budget = 60.0
    args.least = args.least or (3 if large else 20)
    run_load = args.load or not args.quick

    parsed, name = database_url_parts(os.environ.get("DATABASE_URL", ""))
    small_name = f"{name}_small"
    started = time.perf_counter()
    load_before = os.getloadavg()
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    os.environ.update(BENCH_ENV)
    import django

    django.setup()
    from django.core.management import call_command

    from bench import scale
    from cambodia_tracker.wsgi import tune_garbage_collector

    call_command("collectstatic", verbosity=0, interactive=False)
    tune_garbage_collector()  # as the web processes do after start-up (cambodia_tracker/wsgi.py)
    # Earlier runs' sizes are kept in the scale section whatever this run does (bench/scale.py).
    earlier = json.loads(Path(args.output).read_text()) if Path(args.output).exists() else {}
    previous = {}
    if args.reuse:
        # The code may have gained migrations since the data was loaded.
        call_command("migrate", verbosity=0, interactive=False)
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input"],
            cwd=ROOT,
            env=child_env(with_database(parsed, small_name)),
            check=True,
            capture_output=True,
        )
        previous = reusable(earlier, args)
    output = {
        "cases": args.cases,
        "seed": args.seed,
        "quick": args.quick,
        "iterations": args.iterations,
        "slow_iterations": args.slow_iterations,
        "settings": {k: v for k, v in BENCH_ENV.items() if k != "SECRET_KEY"},
        "machine": {
            "cpus": os.cpu_count(),
            "load_average_before": [round(x, 2) for x in load_before],
        },
        "generate_synthetic": (
            previous.get("generate_synthetic")
            if args.reuse
            else prepare(args, parsed, name, small_name)
        ),
        "targets": TARGETS,
        "results": previous.get("results", {}),
        "complete": False,
    }
    results = output["results"]

    def save():
        output["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
        output["judged"] = [
            {"measure": key, "target": text, "met": ok}
            for key, text, ok in judge(results, args.quick)
        ]
        output["seconds"] = round(time.perf_counter() - started, 1)
        output["database_bytes"] = database_bytes()
        output["scale"] = scale.merged(earlier, output)
        Path(args.output).write_text(json.dumps(output, indent=2, ensure_ascii=False))

    bench = Bench(args)
    bench.results = results
    print(
        f"Measuring in-process ({args.iterations} requests each after a warm-up; "
        f"{args.slow_iterations} runs of the clock and export) …",
        flush=True,
    )
    # Results are saved after each step: a run cut short keeps what it measured.
    for step in steps:
        if step == "load" and not run_load:
            continue
        if step in ("load", "memory"):
            STEPS[step](results, args, parsed, name, small_name)
        else:
            with_retry(lambda step=step: STEPS[step](bench))
        save()
    output["complete"] = all(
        EXPECTED[step] in results for step in STEPS if step != "load" or run_load
    )
    save()
    print()
    print(table(results, args.quick))
    print()
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after (other processes share these cores)."
    )
    if output["scale"]["growth"]:
        print()
        print(scale.growth_table(output["scale"]))
    print(f"Results: {args.output} ({output['seconds']:.0f} s in all)")
    differs = [
        key
        for key, x in results.items()
        if isinstance(x, dict) and "content" in x and not x["content"].startswith("same")
    ]
    if differs:
        # Timing an answer that is not the raw SQL's own would compare nothing.
        print(f"The application and the SQL disagree on: {', '.join(differs)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
