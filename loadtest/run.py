"""A bounded load test of the tracker under gunicorn on PostgreSQL (issue 10).

    make loadtest                       # a fresh database, seeded; 120 s
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_tracker \\
        .venv/bin/python loadtest/run.py --seconds 20

It starts gunicorn as production runs it (2 sync workers, DEBUG off, static files collected,
persistent connections) on 127.0.0.1, then, for ``--seconds``:

- ``--readers`` threads read what visitors and partners read: public pages (home, case list,
  case pages, people, statistics, hearing calendar), API lists and details (anonymous, and some
  with the monitor's token) and bulk exports (CSV and JSON, streamed to the end);
- ``--writers`` threads write what monitors write: POST /api/v1/hearings/ with a monitor's API
  token, each hearing with an outcome text of its own.

Afterwards it counts the hearings this run stored. The run passes when no request got a server
error (5xx), a dropped connection or an unexpected status, and the hearings stored are exactly
those whose POST was acknowledged with 201 — none lost, none stored without an acknowledgement.
It prints requests per second and latency (median, p95) per kind of request, writes
loadtest/results.json (git-ignored; ``--results`` for another file) and exits 1 when it failed.

The database must be PostgreSQL, and the test writes into it (a monitor account, its token,
hearings), so it runs only on a database whose name contains "test" (e.g. the test suite's),
or with ``--fresh``: then it drops and creates ``<name>_loadtest`` beside the database named in
DATABASE_URL (never that one), migrates it and loads the report's cases (seed_report) and
``--cases`` synthetic cases (generate_synthetic, where that command exists).
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = ROOT / "var" / "loadtest"
DEFAULT_RESULTS = ROOT / "loadtest" / "results.json"
MAX_SECONDS = 900  # a hard bound, whatever --seconds says
REQUEST_TIMEOUT = 60

# What a reader asks for, and how often (weights).
READ_MIX = {"page": 35, "api_list": 30, "api_detail": 30, "export": 5}
EXPECTED = {"page": 200, "api_list": 200, "api_detail": 200, "export": 200, "write": 201}

# Production settings, except what a load test on one machine needs.
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "cambodia_tracker.settings",
    "ENV_FILE": os.devnull,  # no developer's .env
    "DEBUG": "false",
    "SECRET_KEY": "loadtest-only-not-a-secret-" + "q7Xp2vM9zT4rW8nB1yC6hJ3kL5sD0fG2",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",  # TLS ends at the proxy in front of gunicorn
    "CONN_MAX_AGE": "60",
    "CELERY_BROKER_URL": "",
    "CACHE_URL": "locmemcache://",
    # A handful of clients make thousands of requests: the throttles' budgets are lifted (their
    # cache look-ups still run on every request).
    "API_RATE_ANON": "100000000/hour",
    "API_RATE_PARTNER": "100000000/hour",
    "API_RATE_STAFF": "100000000/hour",
    "API_RATE_EXPORT_ANON": "100000000/hour",
    "API_RATE_EXPORT_PARTNER": "100000000/hour",
    "API_RATE_EXPORT_STAFF": "100000000/hour",
    "SEARCH_RATE_ANON": "100000000/hour",
    "SEARCH_RATE_PARTNER": "100000000/hour",
    "SEARCH_RATE_STAFF": "100000000/hour",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "LOG_LEVEL": "WARNING",
}


def clean_environment(**overrides):
    """os.environ without anything settings.py reads (the caller's DEBUG=true, a CACHE_URL …),
    then SERVER_ENV and ``overrides``: the server runs on production settings."""
    source = (ROOT / "cambodia_tracker" / "settings.py").read_text()
    read = set(re.findall(r'(?:env\.\w+|_secret)\(\s*"(\w+)"', source))
    read |= {f"{name}_FILE" for name in read}
    environment = {k: v for k, v in os.environ.items() if k not in read}
    return {**environment, **SERVER_ENV, **overrides}


# --- Database ----------------------------------------------------------------------------------


def postgres_url(url):
    parsed = urllib.parse.urlparse(url or "")
    if parsed.scheme not in ("postgres", "postgresql", "pgsql"):
        sys.exit(
            "loadtest/run.py needs PostgreSQL: set DATABASE_URL=postgres://user@host:port/name "
            "(e.g. `make loadtest DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker`)."
        )
    return parsed


def fresh_database(url, cases):
    """Drop and create ``<name>_loadtest``, migrate it and load data; returns its URL."""
    import psycopg

    parsed = postgres_url(url)
    name = parsed.path.lstrip("/")
    fresh = name if name.endswith("_loadtest") else f"{name}_loadtest"
    admin = urllib.parse.urlunparse(parsed._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        connection.execute(f"CREATE DATABASE \"{fresh}\" ENCODING 'UTF8' TEMPLATE template0")
    fresh_url = urllib.parse.urlunparse(parsed._replace(path=f"/{fresh}"))
    print(f"Fresh database {fresh}: migrate, seed_report, generate_synthetic --cases {cases}")
    env = clean_environment(DATABASE_URL=fresh_url, DEBUG="true")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_report"], cwd=ROOT, env=env, check=True)
    if (ROOT / "cases" / "management" / "commands" / "generate_synthetic.py").exists():
        subprocess.run(
            [*manage, "generate_synthetic", "--cases", str(cases)], cwd=ROOT, env=env, check=True
        )
    return fresh_url


def setup_django(database_url):
    """Django in this process, on the same database, to prepare the run and count writes."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="cambodia_tracker.settings",
        ENV_FILE=os.devnull,
        DATABASE_URL=database_url,
        DEBUG="true",
        CELERY_BROKER_URL="",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(run_id, sample_size=40):
    """A monitor with an API token, and the paths and cases the clients use."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cases.models import Case
    from core import roles
    from core.visibility import Visibility
    from defendants.models import Defendant
    from partners.models import ApiToken

    monitor = get_user_model().objects.create_user(
        username=f"loadtest-{run_id}", email="", is_staff=True
    )
    monitor.groups.add(Group.objects.get(name=roles.MONITOR))
    # Staff accounts no longer get new tokens (only partners do); the load test's monitor
    # writes through a token made directly, as the ones issued before that rule still work.
    token = ApiToken(name=f"load test {run_id}", user=monitor)
    secret = token.set_new_secret()
    token.save()

    public_cases = list(
        Case.objects.filter(visibility=Visibility.PUBLIC)
        .order_by("?")
        .values_list("pk", flat=True)[:sample_size]
    )
    people = list(
        Defendant.objects.filter(visibility=Visibility.PUBLIC)
        .order_by("?")
        .values_list("pk", flat=True)[:sample_size]
    )
    writable = list(Case.objects.order_by("?").values_list("pk", flat=True)[:sample_size])
    if not public_cases or not people or not writable:
        sys.exit("The database has no public cases or people: load data first (or --fresh).")
    paths = {
        "page": ["/", "/cases/", "/statistics/", "/hearings/"]
        + [f"/cases/{pk}/" for pk in public_cases]
        + [f"/people/{pk}/" for pk in people],
        "api_list": [
            "/api/v1/cases/",
            "/api/v1/cases/?status=pretrial",
            "/api/v1/hearings/",
            "/api/v1/defendants/",
            "/api/v1/decisions/",
        ],
        "api_detail": [f"/api/v1/cases/{pk}/" for pk in public_cases]
        + [f"/api/v1/defendants/{pk}/" for pk in people],
        "export": ["/api/v1/export/cases.csv", "/api/v1/export/cases.json"],
    }
    return token, secret, paths, writable


def stored_writes(prefix):
    from hearings.models import Hearing

    return list(
        Hearing.objects.filter(outcome__startswith=prefix).values_list("outcome", flat=True)
    )


def database_counts():
    from cases.models import Case
    from defendants.models import Defendant
    from hearings.models import Hearing

    return {
        "cases": Case.objects.count(),
        "defendants": Defendant.objects.count(),
        "hearings": Hearing.objects.count(),
    }


# --- The server --------------------------------------------------------------------------------


def free_port():
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def collect_static(static_root, env):
    if (Path(static_root) / "staticfiles.json").exists():
        return  # collected earlier (delete the folder to collect again)
    print(f"collectstatic into {static_root} …", flush=True)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Server:
    """gunicorn as production runs it: 2 sync workers, on a free port of 127.0.0.1."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "cambodia_tracker.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_until_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if call(self.port, "GET", "/healthz")[0] == 200:
                return
            time.sleep(0.3)
        self.stop()
        sys.exit(f"gunicorn did not start; its output:\n{self.log_path.read_text()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# --- Clients -----------------------------------------------------------------------------------


def call(port, method, path, body=None, headers=None):
    """(status or error name, response body); one connection per request, as gunicorn's sync
    workers close it after each response anyway."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__, b""
    finally:
        connection.close()


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples = {kind: [] for kind in EXPECTED}  # (outcome, seconds)
        self.acknowledged = set()
        self.unacknowledged = []  # (outcome text, status or error)
        self.examples = {}  # an example body per unexpected outcome

    def add(self, kind, outcome, seconds, body=b""):
        with self.lock:
            self.samples[kind].append((outcome, seconds))
            if outcome != EXPECTED[kind] and (kind, outcome) not in self.examples:
                self.examples[(kind, outcome)] = body[:300].decode(errors="replace")


def reader(port, paths, token, deadline, recorder, seed):
    chooser = random.Random(seed)
    kinds, weights = zip(*READ_MIX.items(), strict=True)
    while time.monotonic() < deadline:
        kind = chooser.choices(kinds, weights)[0]
        path = chooser.choice(paths[kind])
        headers = {"Accept": "application/json,text/html"}
        if kind.startswith("api") and chooser.random() < 0.25:
            headers["Authorization"] = f"Token {token}"  # a monitor reading everything
        began = time.perf_counter()
        status, body = call(port, "GET", path, headers=headers)
        recorder.add(kind, status, time.perf_counter() - began, body)


def writer(port, cases, token, deadline, recorder, prefix, number, seed):
    chooser = random.Random(seed)
    count = 0
    while time.monotonic() < deadline:
        count += 1
        outcome = f"{prefix}writer {number} hearing {count}"
        body = json.dumps(
            {
                "case": chooser.choice(cases),
                "date": time.strftime("%Y-%m-%d"),
                "kind": "trial",
                "outcome": outcome,
                # Every new fact names its source (#14): here the writer's own observation.
                "citations": [
                    {"observation": {"date": time.strftime("%Y-%m-%d"), "place": "load test"}}
                ],
            }
        )
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        began = time.perf_counter()
        status, answer = call(port, "POST", "/api/v1/hearings/", body=body, headers=headers)
        recorder.add("write", status, time.perf_counter() - began, answer)
        with recorder.lock:
            if status == 201:
                recorder.acknowledged.add(outcome)
            else:
                recorder.unacknowledged.append((outcome, status))


# --- Report ------------------------------------------------------------------------------------


def milliseconds(seconds):
    return round(seconds * 1000, 1)


def kind_summary(samples, elapsed):
    times = sorted(seconds for _, seconds in samples)
    statuses = {}
    for outcome, _ in samples:
        statuses[str(outcome)] = statuses.get(str(outcome), 0) + 1
    summary = {"requests": len(samples), "per_second": round(len(samples) / elapsed, 1)}
    if times:
        p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 2 else times[0]
        summary.update(
            median_ms=milliseconds(statistics.median(times)),
            p95_ms=milliseconds(p95),
            max_ms=milliseconds(times[-1]),
        )
    summary["statuses"] = statuses
    return summary


def report(recorder, elapsed, stored, args, counts, load_before):
    every = [sample for samples in recorder.samples.values() for sample in samples]
    server_errors = sum(1 for o, _ in every if isinstance(o, int) and o >= 500)
    dropped = sum(1 for o, _ in every if not isinstance(o, int))
    unexpected = sum(
        1
        for kind, samples in recorder.samples.items()
        for o, _ in samples
        if isinstance(o, int) and o < 500 and o != EXPECTED[kind]
    )
    stored_set = set(stored)
    acknowledged = recorder.acknowledged
    writes = {
        "attempted": len(recorder.samples["write"]),
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "acknowledged_but_not_stored": len(acknowledged - stored_set),
        "stored_but_not_acknowledged": len(stored_set - acknowledged),
        "stored_twice": len(stored) - len(stored_set),
        "not_acknowledged": [[text, str(status)] for text, status in recorder.unacknowledged][:20],
    }
    reads = sum(len(s) for kind, s in recorder.samples.items() if kind != "write")
    ok = (
        server_errors == dropped == unexpected == 0
        and reads > 0
        and len(acknowledged) > 0
        and stored_set == acknowledged
        and len(stored) == len(stored_set)
    )
    return {
        "ok": ok,
        "seconds": round(elapsed, 1),
        "readers": args.readers,
        "writers": args.writers,
        "gunicorn_workers": 2,
        "database": counts,
        "requests": len(every),
        "requests_per_second": round(len(every) / elapsed, 1),
        "server_errors": server_errors,
        "dropped_connections": dropped,
        "unexpected_statuses": unexpected,
        "kinds": {kind: kind_summary(s, elapsed) for kind, s in recorder.samples.items()},
        "writes": writes,
        "unexpected_examples": {f"{k} {o}": body for (k, o), body in recorder.examples.items()},
        "machine": {
            "cpus": os.cpu_count(),
            # 1, 5 and 15 minutes; before the run shows what else the machine was doing.
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(),
        },
        "finished_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def print_table(result):
    print()
    print(f"{'kind':<11}{'requests':>9}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}  statuses")
    for kind, s in result["kinds"].items():
        print(
            f"{kind:<11}{s['requests']:>9}{s['per_second']:>8}{s.get('median_ms', '-'):>11}"
            f"{s.get('p95_ms', '-'):>9}  {s['statuses']}"
        )
    w = result["writes"]
    print(
        f"\n{result['requests']} requests in {result['seconds']} s: "
        f"{result['requests_per_second']} req/s; server errors {result['server_errors']}, "
        f"dropped connections {result['dropped_connections']}, "
        f"unexpected statuses {result['unexpected_statuses']}"
    )
    print(
        f"writes: {w['acknowledged']} acknowledged (201), {w['stored']} stored, "
        f"{w['acknowledged_but_not_stored']} lost, {w['stored_but_not_acknowledged']} stored "
        f"without acknowledgement, {w['stored_twice']} stored twice"
    )
    for label, body in result["unexpected_examples"].items():
        print(f"  e.g. {label}: {body[:200]!r}")
    print("PASSED" if result["ok"] else "FAILED")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--fresh", action="store_true", help="Use a fresh <name>_loadtest.")
    parser.add_argument("--cases", type=int, default=500, help="Synthetic cases with --fresh.")
    parser.add_argument("--results", type=Path, default=DEFAULT_RESULTS)
    parser.add_argument("--static-root", type=Path, default=WORK_DIR / "static")
    parser.add_argument("--server-log", type=Path, default=WORK_DIR / "gunicorn.log")
    args = parser.parse_args()
    seconds = min(args.seconds, MAX_SECONDS)

    database_url = os.environ.get("DATABASE_URL", "")
    postgres_url(database_url)
    if args.fresh:
        database_url = fresh_database(database_url, args.cases)
    name = urllib.parse.urlparse(database_url).path.lstrip("/")
    if "test" not in name:
        sys.exit(
            f"Refusing to write test hearings into {name!r}: use a database whose name contains "
            "'test', or --fresh (`make loadtest`)."
        )

    WORK_DIR.mkdir(parents=True, exist_ok=True)
    server_env = clean_environment(
        DATABASE_URL=database_url,
        STATIC_ROOT=str(args.static_root),
        MEDIA_ROOT=str(WORK_DIR / "media"),
    )
    collect_static(args.static_root, server_env)

    setup_django(database_url)
    run_id = uuid.uuid4().hex[:10]
    prefix = f"load test {run_id}: "
    token, secret, paths, cases = prepare(run_id)
    counts = database_counts()

    server = Server(server_env, args.server_log)
    try:
        server.wait_until_ready()
        print(
            f"Load on gunicorn (2 workers) at 127.0.0.1:{server.port}, database {name} "
            f"({counts['cases']} cases): {args.readers} readers, {args.writers} writers, "
            f"{seconds:g} s …",
            flush=True,
        )
        recorder = Recorder()
        load_before = os.getloadavg()
        began = time.monotonic()
        deadline = began + seconds
        threads = [
            threading.Thread(
                target=reader, args=(server.port, paths, secret, deadline, recorder, i)
            )
            for i in range(args.readers)
        ] + [
            threading.Thread(
                target=writer,
                args=(server.port, cases, secret, deadline, recorder, prefix, i, 1000 + i),
            )
            for i in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
    finally:
        server.stop()

    stored = stored_writes(prefix)
    token.revoke()
    result = report(recorder, elapsed, stored, args, counts, load_before)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(result, indent=2) + "\n")
    print_table(result)
    print(f"Results: {args.results}")
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
