"""The monitor's dashboard on the admin index: my cases, upcoming hearings, records flagged for
review, changes waiting for publication, and recent changes by others."""

from dataclasses import dataclass
from heapq import merge

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from core import registry
from core.publication import waiting
from defendants.clock import pretrial_clock
from defendants.models import DetentionAlert
from hearings.models import Hearing
from workspace.confirming import stale_facts


@dataclass
class Change:
    when: object
    user: object
    action: str
    label: str
    record: str
    url: str | None


def _admin_url(model, pk):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk])


def tracked_models():
    """The record types on the dashboard, in the registry's order (core/registry.py)."""
    return [t.model_class for t in registry.on_dashboard()]


def _describe(model, row):
    """The record a history row names; when something its name reads was deleted since (a
    person linked to a case), the kind of record and its id."""
    try:
        return str(row.instance)
    except ObjectDoesNotExist:
        return f"{model._meta.verbose_name} #{row.id}"


def recent_changes_by_others(user, limit=15):
    """The latest history entries written by anyone but ``user``, newest first."""
    streams = []
    for model in tracked_models():
        records = (
            model.history.exclude(history_user=user)
            .select_related("history_user")
            .order_by("-history_date")[:limit]
        )
        streams.append(
            [
                Change(
                    when=r.history_date,
                    user=r.history_user,
                    action=r.get_history_type_display(),
                    label=model._meta.verbose_name,
                    record=_describe(model, r),
                    url=None if r.history_type == "-" else _admin_url(model, r.id),
                )
                for r in records
            ]
        )
    newest_first = merge(*streams, key=lambda c: c.when, reverse=True)
    return [change for _, change in zip(range(limit), newest_first, strict=False)]


def flagged_for_review(limit=20):
    rows = []
    for model in tracked_models():
        if not any(f.name == "needs_review" for f in model._meta.fields):
            continue
        for obj in model.objects.filter(needs_review=True).order_by("-updated_at")[:limit]:
            rows.append(
                {
                    "label": model._meta.verbose_name,
                    "record": str(obj),
                    "note": obj.review_note,
                    "url": _admin_url(model, obj.pk),
                }
            )
    return rows[:limit]


def waiting_for_publication(limit=30):
    """Changes to records others can see, held until an Editor publishes them."""
    return [
        {
            "change": change,
            "url": reverse("admin:core_pendingchange_change", args=[change.pk]),
        }
        for change in waiting()[:limit]
    ]


def monitor_dashboard(user):
    today = timezone.localdate()
    return {
        "detention_clock": sorted(
            pretrial_clock(today),
            key=lambda e: (e.days_left is None, e.days_left if e.days_left is not None else 0),
        ),
        "open_alerts": list(
            DetentionAlert.objects.filter(resolved_at__isnull=True)
            .select_related("defendant", "case")
            .order_by("limit_date")[:30]
        ),
        "my_cases": list(
            Case.objects.filter(assigned_monitors=user).select_related("court").order_by("title")
        ),
        "upcoming_hearings": list(Hearing.objects.upcoming()[:20]),
        "flagged": flagged_for_review(),
        "waiting_for_publication": waiting_for_publication(),
        "stale": stale_facts(today),
        "recent_changes": recent_changes_by_others(user),
    }
