"""A case's logged changes, each in one place: the hearing, the decisions it produced and the
custody it changed, with who logged them, why, and the sources they are cited to (#14).

"Log a hearing" writes the hearing's id and the monitor's reason into the history entry of
every record it saves (``hearings.services.log_reason``); that is how the custody periods it
started or ended are found again here.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType

from cases.models import Citation
from defendants.models import CustodyPeriod
from hearings.models import Decision, Hearing
from hearings.services import log_reason


@dataclass
class LoggedChange:
    hearing: Hearing
    author: object = None  # the user who created the hearing, when known
    when: object = None  # when it was created
    reason: str = ""
    citations: list = field(default_factory=list)
    decisions: list = field(default_factory=list)  # [(decision, [citations])]
    custody: list = field(default_factory=list)  # [(historical period, [citations])]


def _citations_by_record(model, ids):
    found = {}
    citations = Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=ids
    ).select_related("source")
    for citation in citations:
        found.setdefault(citation.object_id, []).append(citation)
    return found


def logged_changes(case):
    """Every hearing of ``case``, newest first, as a ``LoggedChange``."""
    hearings = list(case.hearings.select_related("court").order_by("-created_at", "-pk"))
    if not hearings:
        return []
    ids = [h.pk for h in hearings]
    created = {
        record.id: record
        for record in Hearing.history.filter(id__in=ids, history_type="+").select_related(
            "history_user"
        )
    }
    decisions = list(
        Decision.objects.filter(hearing_id__in=ids).select_related("defendant").order_by("pk")
    )
    reasons = {}
    for hearing in hearings:
        record = created.get(hearing.pk)
        reasons[hearing.pk] = (record.history_change_reason or "") if record else ""
    logged_reasons = {
        reason: pk for pk, reason in reasons.items() if reason.startswith(log_reason(pk))
    }
    custody = list(
        CustodyPeriod.history.filter(history_change_reason__in=list(logged_reasons))
        .select_related("defendant")
        .order_by("history_date")
    )
    hearing_citations = _citations_by_record(Hearing, ids)
    decision_citations = _citations_by_record(Decision, [d.pk for d in decisions])
    custody_citations = _citations_by_record(CustodyPeriod, {p.id for p in custody})

    changes = []
    for hearing in hearings:
        record = created.get(hearing.pk)
        reason = reasons[hearing.pk]
        change = LoggedChange(
            hearing=hearing,
            author=record.history_user if record else None,
            when=record.history_date if record else hearing.created_at,
            reason=reason.split(": ", 1)[1] if ": " in reason else "",
            citations=hearing_citations.get(hearing.pk, []),
        )
        change.decisions = [
            (d, decision_citations.get(d.pk, [])) for d in decisions if d.hearing_id == hearing.pk
        ]
        if reason in logged_reasons:
            change.custody = [
                (p, custody_citations.get(p.id, []) if p.history_type == "+" else [])
                for p in custody
                if p.history_change_reason == reason
            ]
        changes.append(change)
    return changes
