"""The web processes' start-up: the application loads, then the garbage collector is tuned
(cambodia_tracker/wsgi.py)."""

import json
import subprocess
import sys

from .helpers import ROOT

PROBE = (
    "import gc, json; import cambodia_tracker.wsgi as w; "
    "print(json.dumps([w.application is not None, gc.get_threshold(), gc.get_freeze_count()]))"
)


def test_after_start_up_the_loaded_code_is_frozen_and_young_objects_collected_less_often():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={"DEBUG": "true", "ENV_FILE": "/dev/null", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    loaded, threshold, frozen = json.loads(done.stdout.strip().splitlines()[-1])

    assert loaded
    assert threshold[0] == 50_000
    assert frozen > 10_000  # Django and the apps' objects, out of the collector's sight
