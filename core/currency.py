"""How current a fact is: the one rule every page, filter, task, API answer and export follows.

A fact is as old as its last confirmation (``VisibleModel.last_confirmed``: the latest day a
source that cites it, or a monitor's dated observation, confirms it; cases/citing.py derives
it). The tracker never reads "still true today" into a fact by default:

- something still open as last reported (a custody period with no end) counts only up to its
  last confirmation, never silently to today;
- "now" is said only of a fact confirmed within ``CURRENCY_WINDOW_DAYS`` of the day asked
  about (30 by default);
- an open fact no source has confirmed counts to its own start: nothing says it lasted longer.
"""

import datetime

from django.conf import settings
from django.db.models import Q


def window():
    """How long a confirmation keeps a fact current."""
    return datetime.timedelta(days=settings.CURRENCY_WINDOW_DAYS)


def is_current(last_confirmed, as_of):
    """True when a fact confirmed on ``last_confirmed`` may be called true on ``as_of``."""
    return last_confirmed is not None and last_confirmed + window() >= as_of


def counted_to(start, last_confirmed, as_of):
    """The day an open period is counted to on ``as_of``: its last confirmation (never before
    its start, never after ``as_of``)."""
    confirmed = max(start, last_confirmed) if last_confirmed is not None else start
    return min(confirmed, as_of)


def open_and_current(day, *, end="end", confirmed="last_confirmed"):
    """``Q`` for records still open (no ``end``) whose last confirmation keeps them current on
    ``day``: what "running on ``day``" means for an open record."""
    return Q(**{f"{end}__isnull": True, f"{confirmed}__gte": day - window()})


def not_current(day):
    """``Q`` for records whose last confirmation (if any) is too old to call them true on
    ``day``."""
    return Q(last_confirmed__isnull=True) | Q(last_confirmed__lt=day - window())


def stale_before(day, days):
    """``Q`` for records not confirmed within ``days`` before ``day`` (or never confirmed)."""
    return Q(last_confirmed__isnull=True) | Q(
        last_confirmed__lt=day - datetime.timedelta(days=days)
    )
