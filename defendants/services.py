"""Writes about custody that touch more than the record being saved."""

from django.db import transaction

from core.publication import hold, seen_below


@transaction.atomic
def custody_period_start(*, period, change_reason=None, proposed_by=None):
    """Save the new custody ``period``, ending the person's open periods in its case the day
    it starts.

    Every way of recording custody calls this (Log a hearing, the API, the admin pages and
    import), so that nobody is left in two kinds of custody at once. Which periods it ends is
    ``CustodyPeriod.periods_it_ends``; ``CustodyPeriod.clean`` refuses a new period that would
    end one before it began. Each ended period is saved normally: it gets a new version and a
    history entry (with ``change_reason``, when given). Raises ``ValidationError`` and saves
    nothing if anything is invalid.

    The new period is written at its own level: ending an open period that people below that
    level can see is held for an Editor (core/publication.py), so a monitors-only release does
    not change the public record before it is published. The held changes, by
    ``proposed_by``, are on ``period.pending_changes``.
    """
    open_periods = period.periods_it_ends().select_for_update().order_by("pk")
    period.pending_changes = []
    for open_period in open_periods:
        open_period.end = period.start
        open_period.end_precision = period.start_precision
        open_period.full_clean()
        if seen_below(open_period, period.visibility):
            period.pending_changes.append(
                hold(
                    open_period,
                    {"end": open_period.end, "end_precision": open_period.end_precision},
                    proposed_by=proposed_by,
                    reason=f"Ended by a new period: {period}",
                )
            )
        else:
            if change_reason:
                open_period._change_reason = change_reason
            open_period.save()
    period.full_clean()
    period.save()
    return period
