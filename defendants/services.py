"""Writes about custody that touch more than the record being saved."""

from django.db import transaction


@transaction.atomic
def custody_period_start(*, period, change_reason=None):
    """Save the new custody ``period``, ending the person's open periods in its case the day
    it starts.

    Every way of recording custody calls this (Log a hearing, the API, the admin pages and
    import), so that nobody is left in two kinds of custody at once. Which periods it ends is
    ``CustodyPeriod.periods_it_ends``; ``CustodyPeriod.clean`` refuses a new period that would
    end one before it began. Each ended period is saved normally: it gets a new version and a
    history entry (with ``change_reason``, when given). Raises ``ValidationError`` and saves
    nothing if anything is invalid.
    """
    open_periods = period.periods_it_ends().select_for_update().order_by("pk")
    for open_period in open_periods:
        open_period.end = period.start
        open_period.end_precision = period.start_precision
        open_period.full_clean()
        if change_reason:
            open_period._change_reason = change_reason
        open_period.save()
    period.full_clean()
    period.save()
    return period
