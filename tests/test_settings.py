"""Settings come from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"}
    }
    clean.update(env, ENV_FILE=os.devnull)
    code = (
        "import django, json; from django.conf import settings; django.setup(); "
        "print(json.dumps({'debug': settings.DEBUG, 'eager': settings.CELERY_TASK_ALWAYS_EAGER, "
        "'engine': settings.DATABASES['default']['ENGINE'], 'hosts': settings.ALLOWED_HOSTS, "
        "'tz': settings.TIME_ZONE, 'languages': [c for c, _ in settings.LANGUAGES]}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "cambodia_tracker.settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = load_settings(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_runs_with_sqlite_and_eager_tasks_by_default():
    result = load_settings(DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert '"engine": "django.db.backends.sqlite3"' in result.stdout
    assert '"eager": true' in result.stdout


def test_a_broker_url_turns_off_eager_tasks():
    result = load_settings(DEBUG="true", CELERY_BROKER_URL="redis://127.0.0.1:6379/0")

    assert '"eager": false' in result.stdout


def test_database_url_selects_postgresql():
    result = load_settings(DEBUG="true", DATABASE_URL="postgres://u@127.0.0.1:5432/x")

    assert '"engine": "django.db.backends.postgresql"' in result.stdout


def test_production_takes_hosts_from_the_environment():
    result = load_settings(
        DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="tracker.example.org,www.example.org"
    )

    assert '"hosts": ["tracker.example.org", "www.example.org"]' in result.stdout


def test_time_zone_and_languages():
    result = load_settings(DEBUG="true")

    assert '"tz": "Asia/Phnom_Penh"' in result.stdout
    assert '"languages": ["en", "km"]' in result.stdout
