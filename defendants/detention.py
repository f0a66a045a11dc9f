"""Days in detention, computed from custody periods.

A person may be held under several cases at once (the same days count once), released on bail
and detained again later. Periods are half-open: the start day counts, the release day does not.
A period with no end is open *as last reported*: it counts only to its last confirmation, and
the person is "in detention now" only while that confirmation is current (core/currency.py).
"""

import datetime
from dataclasses import dataclass

from core import currency


@dataclass(frozen=True)
class DetentionTally:
    days: int
    # False when some counted period starts or ends on a date known only to the month or year:
    # the tally then uses the earliest possible start and the latest possible end.
    exact: bool
    # Held on ``as_of`` as far as current sources say: a closed period that ends later, or an
    # open one confirmed within the currency window.
    in_detention: bool
    # For open periods: the day the count stops (their latest confirmation), else None.
    counted_to: datetime.date | None = None
    # An open period is not confirmed up to ``as_of``: the days are "at least" this many.
    as_last_reported: bool = False


def tally_detention(periods, as_of):
    """Count the days ``periods`` held someone in detention up to ``as_of``.

    ``periods`` are custody periods (anything with ``is_detention``, ``start_partial``,
    ``end_partial`` and ``last_confirmed``); ones that are not detention (an arrest with no
    reported detention, bail, house arrest) are ignored.
    """
    intervals = []
    exact = True
    in_detention = False
    counted_to = None
    for period in periods:
        if not period.is_detention:
            continue
        start = period.start_partial
        if start is None or start.earliest > as_of:
            continue
        end_partial = period.end_partial
        if end_partial is None:
            end = currency.counted_to(start.earliest, period.last_confirmed, as_of)
            counted_to = max(counted_to or end, end)
            in_detention = in_detention or currency.is_current(period.last_confirmed, as_of)
        else:
            end = min(end_partial.latest, as_of)
            # Still held on as_of only if the release certainly came later.
            in_detention = in_detention or end_partial.earliest > as_of
            exact = exact and end_partial.precision == "day"
        exact = exact and start.precision == "day"
        intervals.append((start.earliest, end))
    return DetentionTally(
        days=_union_length(intervals),
        exact=exact,
        in_detention=in_detention,
        counted_to=counted_to,
        as_last_reported=counted_to is not None and counted_to < as_of,
    )


def _union_length(intervals):
    total = 0
    current_start = current_end = None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += (current_end - current_start).days
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += (current_end - current_start).days
    return total
