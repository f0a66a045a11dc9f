# English dates as the site writes them (cambodia_tracker/formats/common.py).
from cambodia_tracker.formats.common import *  # noqa: F403 - read by Django
