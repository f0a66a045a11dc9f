"""Days in detention, computed from custody periods.

A person may be held under several cases at once (the same days count once), released on bail
and detained again later. Periods are half-open: the start day counts, the release day does not.
A period with no end is open *as last reported*: it counts only to its last confirmation, and
the person is "in detention now" only while that confirmation is current (core/currency.py).
"""

import datetime
from dataclasses import dataclass

from django.db import connections
from django.db.models import F

from core import currency
from core.dates import DatePrecision
from core.sql import compiled, fetch


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


# Days in detention for many people at once, counted by the database: the rule of
# ``tally_detention`` (its ``days``) in SQL, so the statistics page does not load every custody
# period into Python. Dates become day numbers (days since _EPOCH), so both databases compute
# with integers. Each detention period becomes [start, end): an open one ends at its last
# confirmation (core/currency.counted_to), a closed one at the last day its end could be; both
# stop at ``as_of``, and one with no start or not started by then counts no day. Overlapping
# periods merge into islands (a period starts a new island when it starts after every earlier
# one has ended), and a person's days are the islands' lengths. Everyone with a detention
# period is counted, with 0 days if none of theirs counts yet.
_EPOCH = datetime.date(2000, 1, 1)

_DAY_NUMBER = {
    "postgresql": f"({{column}} - DATE '{_EPOCH.isoformat()}')",
    "sqlite": f"CAST(julianday({{column}}) - julianday('{_EPOCH.isoformat()}') AS INTEGER)",
}
_PLUS = {
    "postgresql": "CAST({column} + INTERVAL '{n} {unit}' AS DATE)",
    "sqlite": "date({column}, '+{n} {unit}')",
}
_LEAST = {"postgresql": "LEAST", "sqlite": "MIN"}
_GREATEST = {"postgresql": "GREATEST", "sqlite": "MAX"}


def _days_held_sql(periods, as_of):
    """SQL and parameters for (defendant_id, days) of every person with detention periods in
    ``periods`` (a CustodyPeriod queryset, already through the visibility gate), or None if
    ``periods`` can match nothing."""
    vendor = connections[periods.db].vendor
    day = _DAY_NUMBER[vendor].format
    least, greatest = _LEAST[vendor], _GREATEST[vendor]

    def last_day(unit):
        return day(column=_PLUS[vendor].format(column="p_end", n=1, unit=unit)) + " - 1"

    parts = compiled(
        periods.detention()
        .annotate(p_start=F("start"), p_end=F("end"), p_confirmed=F("last_confirmed"))
        .values_list("defendant_id", "p_start", "p_end", "end_precision", "p_confirmed")
        .order_by()
    )
    if parts is None:
        return None
    [(inner, params)] = parts
    as_of_day = (as_of - _EPOCH).days
    start = day(column="p_start")
    confirmed = f"COALESCE({day(column='p_confirmed')}, {start})"
    month, approximate, year = (
        DatePrecision.MONTH.value,
        DatePrecision.APPROXIMATE.value,
        DatePrecision.YEAR.value,
    )
    sql = f"""
        WITH periods AS ({inner}), spans AS (
            SELECT defendant_id, {start} AS s,
                CASE
                    WHEN p_end IS NULL THEN {least}({greatest}({start}, {confirmed}), %s)
                    WHEN end_precision = '{year}' THEN {least}({last_day("year")}, %s)
                    WHEN end_precision IN ('{month}', '{approximate}')
                        THEN {least}({last_day("month")}, %s)
                    ELSE {least}({day(column="p_end")}, %s)
                END AS e
            FROM periods WHERE p_start IS NOT NULL AND {start} <= %s
        ), reach AS (
            SELECT defendant_id, s, e, MAX(e) OVER (
                PARTITION BY defendant_id ORDER BY s, e
                ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ) AS reached FROM spans
        ), islands AS (
            SELECT defendant_id, s, e, SUM(
                CASE WHEN reached IS NULL OR s > reached THEN 1 ELSE 0 END
            ) OVER (PARTITION BY defendant_id ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS island
            FROM reach
        ), held AS (
            SELECT defendant_id, SUM(length) AS days FROM (
                SELECT defendant_id, MAX(e) - MIN(s) AS length FROM islands
                GROUP BY defendant_id, island
            ) AS lengths GROUP BY defendant_id
        )
        SELECT people.defendant_id, COALESCE(held.days, 0) AS days
        FROM (SELECT DISTINCT defendant_id FROM periods) AS people
        LEFT JOIN held ON held.defendant_id = people.defendant_id
    """
    return sql, (*params, *(as_of_day,) * 5)


def days_held(periods, as_of):
    """{defendant id: days in detention up to ``as_of``} for everyone with a detention period in
    ``periods``, counted by the database; the same days as ``tally_detention``."""
    built = _days_held_sql(periods, as_of)
    if built is None:  # ``periods`` can match nothing (say, ``pk__in=[]``)
        return {}
    return {defendant_id: int(days) for defendant_id, days in fetch(periods, *built)}


def people_by_days_held(periods, as_of, limits):
    """How many people with a detention period in ``periods`` were held under each of
    ``limits`` days (ascending; None for "any longer"), counted by the database: a list of
    counts, one per limit, each person counted under the first limit their days stay below."""
    built = _days_held_sql(periods, as_of)
    if built is None:  # ``periods`` can match nothing (say, ``pk__in=[]``)
        return [0] * len(limits)
    sql, params = built
    cases = " ".join(
        f"WHEN days < {int(limit)} THEN {index}"
        for index, limit in enumerate(limits)
        if limit is not None
    )
    bucket = f"CASE {cases} ELSE {len(limits) - 1} END" if cases else str(len(limits) - 1)
    counts = dict(
        fetch(
            periods,
            f"SELECT {bucket} AS bucket, COUNT(*) FROM ({sql}) AS held GROUP BY bucket",
            params,
        )
    )
    return [counts.get(index, 0) for index in range(len(limits))]
