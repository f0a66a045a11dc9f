"""Running the project the way production runs it: ``manage.py`` in a fresh interpreter with
exactly the environment given, nothing inherited from this test run or a local .env file."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SETTINGS_FILE = ROOT / "cambodia_tracker" / "settings.py"

# A 50-character key with enough distinct characters for Django's security.W009.
PRODUCTION_SECRET_KEY = "k7Qp2vX9mZ4rT8wN1bY6cH3jL5sD0fG2aE7uR9iO4pK8xV1zQ3"

ENV_READ = re.compile(r'env\.(?:str|bool|int|list|float|db|cache|path)\(\s*"([A-Z0-9_]+)"')
SECRET_READ = re.compile(r'_secret\(\s*"([A-Z0-9_]+)"')


def settings_variables():
    """The names of every environment variable settings.py reads."""
    source = SETTINGS_FILE.read_text()
    return set(ENV_READ.findall(source)) | set(SECRET_READ.findall(source))


def clean_environment(**overrides):
    """os.environ without any variable the settings read (nor its ``_FILE`` form), plus
    ``overrides``; ENV_FILE=/dev/null so that no .env file fills the gaps."""
    read = settings_variables()
    read |= {f"{name}_FILE" for name in read}
    environment = {k: v for k, v in os.environ.items() if k not in read}
    environment.update(DJANGO_SETTINGS_MODULE="cambodia_tracker.settings", ENV_FILE=os.devnull)
    environment.update(overrides)
    return environment


def production_environment(**overrides):
    """What a production container sets (see .env.example), on a throwaway SQLite database."""
    return clean_environment(
        DEBUG="false",
        SECRET_KEY=PRODUCTION_SECRET_KEY,
        ALLOWED_HOSTS="tracker.example.org",
        **overrides,
    )


def manage(*args, environment, timeout=300):
    """Run ``python manage.py *args`` in a fresh interpreter; returns the CompletedProcess."""
    return run_python(str(ROOT / "manage.py"), *args, environment=environment, timeout=timeout)


def run_python(*args, environment, timeout=300):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
