"""The web processes' start-up: the application loads, then the garbage collector is tuned
(cambodia_tracker/wsgi.py)."""

import json
import subprocess
import sys

from .helpers import ROOT

PROBE = (
    "import gc, json; import cambodia_tracker.wsgi as w; from cases.models import Case; "
    "tracked = {id(o) for o in gc.get_objects()}; "
    "print(json.dumps([id(w.application) in tracked, id(Case) in tracked, "
    "gc.get_threshold(), gc.get_freeze_count()]))"
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
    app_tracked, model_tracked, threshold, frozen = json.loads(done.stdout.strip().splitlines()[-1])

    # The application and the apps' models, made during start-up, are out of the collector's
    # sight: the freeze came after the application loaded.
    assert (app_tracked, model_tracked) == (False, False)
    assert threshold == [50_000, 20, 20]
    assert frozen > 10_000
