"""The load test (loadtest/run.py) in short: 20 s of mixed reads and monitor writes against a
real gunicorn on the test database end with no server error and every acknowledged write
stored — and nothing stored that was not acknowledged."""

import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from .helpers import ROOT, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.postgres,
    pytest.mark.faults,
]


def test_twenty_seconds_of_load_give_no_server_error_and_store_exactly_the_acknowledged_writes(
    static_root, tmp_path
):
    call_command("seed_report", stdout=StringIO())  # the report's cases, people and hearings
    results = tmp_path / "results.json"
    server_log = tmp_path / "gunicorn.log"

    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "loadtest" / "run.py"),
            "--seconds",
            "20",
            "--results",
            str(results),
            "--static-root",
            str(static_root),
            "--server-log",
            str(server_log),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url(connection.settings_dict)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    log = server_log.read_text(errors="replace") if server_log.exists() else ""
    details = f"{done.stdout}\n{done.stderr}\n--- gunicorn ---\n{log}"
    assert results.exists(), details
    result = json.loads(results.read_text())
    writes = result["writes"]
    assert (result["server_errors"], result["dropped_connections"]) == (0, 0), details
    assert writes["acknowledged"] > 0, details
    assert writes["stored"] == writes["acknowledged"], details
    assert writes["acknowledged_but_not_stored"] == writes["stored_but_not_acknowledged"] == 0
    assert done.returncode == 0, details
