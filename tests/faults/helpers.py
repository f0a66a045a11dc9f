"""Real servers and real outages for the fault tests: gunicorn and Celery workers as
subprocesses on the test database, HTTP without Django's test client, and the commands that
stop and start the local PostgreSQL cluster and Redis."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_FILE = ROOT / "cambodia_tracker" / "settings.py"
REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
REDIS_BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/15"
# Not a secret: only these throwaway servers use it.
SECRET_KEY = "faults-only-" + "k7Qp2vX9mZ4rT8wN1bY6cH3jL5sD0fG2aE7uR9iO4pK8xV1zQ3"

_ENV_READ = re.compile(r'(?:env\.(?:str|bool|int|list|float|db|cache|path)|_secret)\(\s*"(\w+)"')


def database_url(settings_dict):
    """The test database, as the DATABASE_URL a subprocess's settings read."""
    db = settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = quote(db.get("USER") or "", safe="")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def server_environment(**overrides):
    """Production settings for a subprocess: nothing inherited that settings.py reads (this
    run's DEBUG=true, a developer's .env), then ``overrides``."""
    read = set(_ENV_READ.findall(SETTINGS_FILE.read_text()))
    read |= {f"{name}_FILE" for name in read}
    environment = {k: v for k, v in os.environ.items() if k not in read}
    environment.update(
        DJANGO_SETTINGS_MODULE="cambodia_tracker.settings",
        ENV_FILE=os.devnull,
        DEBUG="false",
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        CELERY_BROKER_URL="",
        # One client sends hundreds of requests: the throttles are not under test.
        API_RATE_ANON="100000000/hour",
        API_RATE_PARTNER="100000000/hour",
        API_RATE_STAFF="100000000/hour",
        API_RATE_EXPORT_ANON="100000000/hour",
        API_RATE_EXPORT_PARTNER="100000000/hour",
        API_RATE_EXPORT_STAFF="100000000/hour",
        SEARCH_RATE_ANON="100000000/hour",
        SEARCH_RATE_PARTNER="100000000/hour",
        SEARCH_RATE_STAFF="100000000/hour",
        PYTHONUNBUFFERED="1",
    )
    environment.update(overrides)
    return environment


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Answer:
    """One request's outcome: the status, or the name of the error instead of a response."""

    path: str
    began: float
    ended: float
    status: int | None = None
    error: str | None = None
    headers: dict | None = None
    body: bytes = b""

    @property
    def outcome(self):
        return self.status if self.status is not None else self.error

    @property
    def seconds(self):
        return self.ended - self.began


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on its own connection; an OSError (reset, refused, timeout) is recorded in
    the answer instead of raised."""
    began = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Answer(
            path,
            began,
            time.monotonic(),
            status=response.status,
            headers={k.lower(): v for k, v in response.getheaders()},
            body=data,
        )
    except (OSError, http.client.HTTPException) as error:
        return Answer(path, began, time.monotonic(), error=type(error).__name__)
    finally:
        connection.close()


def get(port, path, **headers):
    return request(port, "GET", path, headers={"Accept": "application/json,text/html", **headers})


# --- Subprocesses -----------------------------------------------------------------------------


class Process:
    """A subprocess whose output goes to a file, read back for failure messages."""

    def __init__(self, name, args, env, log_path):
        self.name = name
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    @property
    def pid(self):
        return self.process.pid

    def output(self):
        return self.log_path.read_text(errors="replace")

    def running(self):
        return self.process.poll() is None

    def stop(self, timeout=20):
        if self.running():
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def children(self):
        """The pids of this process's children (a prefork pool, gunicorn's workers)."""
        found = []
        for task in Path(f"/proc/{self.pid}/task").glob("*"):
            try:
                found += [int(pid) for pid in (task / "children").read_text().split()]
            except OSError:
                continue
        return found


def wait_for(condition, what, timeout, process=None, interval=0.1):
    """Poll ``condition`` until it returns something true, or raise AssertionError."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if process is not None and not process.running():
            raise AssertionError(f"{process.name} exited before {what}:\n{process.output()}")
        time.sleep(interval)
    details = f"; {process.name} output:\n{process.output()}" if process else ""
    raise AssertionError(f"no {what} within {timeout} s{details}")


class Gunicorn(Process):
    """gunicorn as production runs it (2 sync workers), on a free port of 127.0.0.1."""

    def __init__(self, log_path, env):
        self.port = free_port()
        super().__init__(
            "gunicorn",
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "cambodia_tracker.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{self.port}",
            ],
            env,
            log_path,
        )

    def wait_until_ready(self, timeout=60):
        wait_for(lambda: get(self.port, "/healthz").status == 200, "answer", timeout, process=self)


def celery_worker(log_path, env, queue, pool="prefork"):
    return Process(
        "celery worker",
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cambodia_tracker",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname={queue}@%h",
        ],
        env,
        log_path,
    )


def collect_static(static_root):
    """``collectstatic`` with production storage (hashed, compressed names), which pages
    rendered with DEBUG off need."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--no-input"],
        cwd=ROOT,
        env=server_environment(STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"collectstatic failed:\n{done.stdout}\n{done.stderr}")


# --- PostgreSQL -------------------------------------------------------------------------------


def local_cluster(settings_dict):
    """(version, name) of the online local cluster serving the test database, or the reason
    there is none to restart."""
    if os.geteuid() != 0:
        return None, "restarting PostgreSQL needs root (pg_ctlcluster); run as root"
    if not shutil.which("pg_ctlcluster") or not shutil.which("pg_lsclusters"):
        return None, "pg_ctlcluster is not installed (Debian's postgresql-common)"
    host = settings_dict.get("HOST") or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1") and not host.startswith("/"):
        return None, f"the test database is on {host}, not on a local cluster"
    port = int(settings_dict.get("PORT") or 5432)
    listing = subprocess.run(
        ["pg_lsclusters", "--no-header"], capture_output=True, text=True, check=False
    ).stdout
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2] == str(port) and fields[3].startswith("online"):
            return (fields[0], fields[1]), None
    return None, f"no online local cluster on port {port} (pg_lsclusters):\n{listing}"


def restart_cluster(cluster):
    """Restart the cluster (fast shutdown: every connection is cut); returns when it accepts
    connections again."""
    version, name = cluster
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def start_cluster_if_down(cluster):
    version, name = cluster
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start"],
        capture_output=True,
        timeout=120,
        check=False,  # "already running" is an error for pg_ctlcluster, and fine here
    )


# --- Redis ------------------------------------------------------------------------------------


def redis_answers():
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def redis_control_problem(broker_url):
    """Why this machine's Redis cannot be stopped and started by the test, or None."""
    if os.geteuid() != 0:
        # As root the test runs where it may stop services (CI, a container), not on a
        # developer's machine whose Redis some system service owns.
        return "stopping and starting Redis needs root; run as root (CI does)"
    for command in ("redis-server", "redis-cli"):
        if not shutil.which(command):
            return f"{command} is not installed: the test stops and starts the local Redis"
    parts = urlsplit(broker_url)
    if (parts.hostname, parts.port or 6379) != (REDIS_HOST, REDIS_PORT):
        return f"the broker is {parts.hostname}:{parts.port}, not the local Redis on 6379"
    if not redis_answers():
        return f"nothing answers PING at {REDIS_HOST}:{REDIS_PORT} (start redis-server)"
    return None


def stop_redis():
    subprocess.run(
        ["redis-cli", "-h", REDIS_HOST, "-p", str(REDIS_PORT), "shutdown", "nosave"],
        capture_output=True,
        timeout=30,
        check=False,  # the connection drops as the server exits
    )
    wait_for(lambda: not redis_answers(), "Redis shutdown", timeout=15)


def start_redis():
    if redis_answers():
        return
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            REDIS_HOST,
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=True,
        capture_output=True,
        timeout=30,
    )
    wait_for(redis_answers, "Redis answering PING", timeout=15)
