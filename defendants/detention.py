"""Days in detention, computed from custody periods.

A person may be held under several cases at once (the same days count once), released on bail
and detained again later. Periods are half-open: the start day counts, the release day does not.
A period with no end is still running.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class DetentionTally:
    days: int
    # False when some counted period starts or ends on a date known only to the month or year:
    # the tally then uses the earliest possible start and the latest possible end.
    exact: bool
    in_detention: bool


def tally_detention(periods, as_of):
    """Count the days ``periods`` held someone in detention up to ``as_of``.

    ``periods`` are custody periods (anything with ``is_detention``, ``start_partial`` and
    ``end_partial``); ones that are not detention (bail, house arrest) are ignored.
    """
    intervals = []
    exact = True
    in_detention = False
    for period in periods:
        if not period.is_detention:
            continue
        start = period.start_partial
        if start is None or start.earliest > as_of:
            continue
        end_partial = period.end_partial
        if end_partial is None:
            end = as_of
            in_detention = True
        else:
            end = min(end_partial.latest, as_of)
            # Still held on as_of only if the release certainly came later.
            in_detention = in_detention or end_partial.earliest > as_of
            exact = exact and end_partial.precision == "day"
        exact = exact and start.precision == "day"
        intervals.append((start.earliest, end))
    return DetentionTally(days=_union_length(intervals), exact=exact, in_detention=in_detention)


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
