"""Writes that touch several models at once."""

from django.db import transaction

from core.visibility import Visibility
from defendants.models import CustodyPeriod
from defendants.services import custody_period_start


def custody_change(
    *, defendant, case, kind, start, start_precision, visibility, note="", proposed_by=None
):
    """End whatever custody this person is in for ``case`` and start ``kind`` on ``start``.

    ``kind`` RELEASED ends the open periods and records the release itself as a period.
    """
    return custody_period_start(
        period=CustodyPeriod(
            defendant=defendant,
            case=case,
            kind=kind,
            start=start,
            start_precision=start_precision,
            note=note,
            visibility=visibility,
        ),
        proposed_by=proposed_by,
    )


@transaction.atomic
def hearing_log(
    *,
    case,
    hearing,
    decisions=(),
    custody_changes=(),
    visibility=Visibility.MONITORS,
    user=None,
):
    """Record a hearing with the decisions it produced and the custody changes it caused.

    ``hearing`` is an unsaved ``Hearing``; ``decisions`` are ``(Decision, charges)`` pairs of
    unsaved decisions and the charges each rules on; ``custody_changes`` are
    ``(defendant, CustodyKind)`` pairs taking effect on the hearing's date. Everything is
    validated and saved in one transaction: if anything is wrong, nothing is saved.
    New records get ``visibility`` (monitors only unless an Editor chose otherwise). Ending a
    custody period that people below ``visibility`` read is held for an Editor to publish
    (``custody_period_start``); the held changes, proposed by ``user``, are returned third.
    """
    hearing.case = case
    hearing.visibility = visibility
    hearing.full_clean()
    hearing.save()
    saved = []
    for decision, charges in decisions:
        decision.case = case
        decision.hearing = hearing
        decision.court = decision.court or hearing.court
        if decision.court and not decision.court_level:
            decision.court_level = decision.court.level
        decision.date = hearing.date
        decision.date_precision = hearing.date_precision
        decision.visibility = visibility
        decision.full_clean()
        decision.validate_charges(charges)
        decision.save()
        decision.charges.set(charges)
        saved.append(decision)
    pending = []
    for defendant, kind in custody_changes:
        period = custody_change(
            defendant=defendant,
            case=case,
            kind=kind,
            start=hearing.date,
            start_precision=hearing.date_precision,
            visibility=visibility,
            note=f"Logged with the {hearing.get_kind_display()} hearing of {hearing.when}.",
            proposed_by=user,
        )
        pending.extend(period.pending_changes)
    return hearing, saved, pending
