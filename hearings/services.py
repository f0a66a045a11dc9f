"""Writes that touch several models at once."""

from django.db import transaction
from simple_history.utils import update_change_reason

from cases.citing import cite
from core.visibility import Visibility
from defendants.models import CustodyPeriod
from defendants.services import custody_period_start


def custody_change(
    *,
    defendant,
    case,
    kind,
    start,
    start_precision,
    visibility,
    note="",
    change_reason=None,
    proposed_by=None,
):
    """End whatever custody this person is in for ``case`` and start ``kind`` on ``start``.

    ``kind`` RELEASED ends the open periods and records the release itself as a period.
    """
    period = CustodyPeriod(
        defendant=defendant,
        case=case,
        kind=kind,
        start=start,
        start_precision=start_precision,
        note=note,
        visibility=visibility,
    )
    if change_reason:
        period._change_reason = change_reason
    return custody_period_start(period=period, change_reason=change_reason, proposed_by=proposed_by)


# Every history entry a logged hearing writes starts with this and the hearing's id, so that
# the case history can show the whole logged change together (``logged_changes``). Stored
# untranslated: it is a key as much as a text. simple-history keeps at most 100 characters.
LOG_REASON_PREFIX = "Log a hearing #"
REASON_MAX_LENGTH = 100


def log_reason(hearing_id, reason=""):
    text = f"{LOG_REASON_PREFIX}{hearing_id}"
    if reason:
        text = f"{text}: {reason}"
    return text[:REASON_MAX_LENGTH]


@transaction.atomic
def hearing_log(
    *,
    case,
    hearing,
    citation,
    decisions=(),
    custody_changes=(),
    visibility=Visibility.MONITORS,
    reason="",
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

    ``citation`` (a ``cases.citing.CitationRequest``) is what every new record is cited to:
    nothing is logged without a source. ``reason`` (why it is logged) goes into each record's
    history with the hearing's id, which is how the case history groups the logged change.
    """
    citation.check()
    hearing.case = case
    hearing.visibility = visibility
    hearing.full_clean()
    hearing.save()
    change_reason = log_reason(hearing.pk, reason)
    update_change_reason(hearing, change_reason)
    created = [hearing]
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
        decision._change_reason = change_reason
        decision.save()
        decision.charges.set(charges)
        saved.append(decision)
    created += saved
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
            change_reason=change_reason,
            proposed_by=user,
        )
        created.append(period)
        pending.extend(period.pending_changes)
    cite(created, citation)
    return hearing, saved, pending
