"""In production every log line on stdout is one JSON object."""

import json
import logging
import sys

from django.test import RequestFactory

from cambodia_tracker.logging import JsonFormatter

from .helpers import production_environment, run_python


def record(message="hello", level=logging.WARNING, exc_info=None, **extra):
    entry = logging.LogRecord("tracker.test", level, __file__, 1, message, (), exc_info)
    entry.__dict__.update(extra)
    return entry


def test_a_log_record_becomes_one_json_object():
    line = JsonFormatter().format(record("Hearing %s moved"))

    entry = json.loads(line)
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "tracker.test"
    assert entry["message"] == "Hearing %s moved"
    assert entry["time"].endswith("Z")


def test_a_log_line_is_a_single_line():
    assert "\n" not in JsonFormatter().format(record("two\nlines"))


def test_khmer_text_is_logged_as_written():
    entry = json.loads(JsonFormatter().format(record("សាលាដំបូងរាជធានីភ្នំពេញ")))

    assert entry["message"] == "សាលាដំបូងរាជធានីភ្នំពេញ"


def test_the_request_path_and_status_are_included():
    request = RequestFactory().post("/admin/login/")

    entry = json.loads(JsonFormatter().format(record(request=request, status_code=429)))

    assert (entry["path"], entry["method"], entry["status_code"]) == ("/admin/login/", "POST", 429)


def test_an_exception_is_included_in_the_same_object():
    try:
        raise ValueError("boom")
    except ValueError:
        line = JsonFormatter().format(record(level=logging.ERROR, exc_info=sys.exc_info()))

    assert "ValueError: boom" in json.loads(line)["exception"]


def test_production_logs_json_lines_on_stdout():
    result = run_python(
        "-c",
        "import django, logging; django.setup(); "
        "logging.getLogger('tracker.test').warning('detention alert for %s', 'ស៊ុន ចាន់')",
        environment=production_environment(),
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    entries = [json.loads(line) for line in lines]  # every line, not just ours, is JSON
    assert {"level": "WARNING", "logger": "tracker.test"}.items() <= entries[-1].items()
    assert entries[-1]["message"] == "detention alert for ស៊ុន ចាន់"
