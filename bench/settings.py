"""The benchmark's settings: production's (cambodia_tracker.settings, with DEBUG off from the
environment), except static files are collected without the manifest storage.

Why: with DEBUG off, ``collectstatic`` post-processes every file for the manifest, and it stops
on static/vendor/chartjs/chart.umd.min.js, whose last line names a source map
(chart.umd.min.js.map) that is not in the repository. Static files are not measured here.
"""

from cambodia_tracker.settings import *  # noqa: F403
from cambodia_tracker.settings import STORAGES

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
