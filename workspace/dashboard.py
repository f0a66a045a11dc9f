"""The monitor's dashboard on the admin index: the pretrial-detention clock (filtered, sorted,
a page at a time), my cases, "Log a hearing", the way to the missing translations, upcoming
hearings, records flagged for review (grouped by case), changes waiting for publication, stale
facts, and the latest changes, mine and others'."""

from collections import Counter
from dataclasses import dataclass, field
from heapq import merge

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases.models import Case, Court, Province
from core import registry
from core.publication import waiting
from defendants.clock import pretrial_clock
from defendants.models import DetentionAlert
from hearings.models import Hearing
from workspace.confirming import stale_facts
from workspace.translations import translatable_types


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


def _describe(model, row, instance):
    """The record a history row names, as it was; when something its name reads was deleted
    since (a person linked to a case), the kind of record and its id."""
    try:
        return str(instance)
    except (ObjectDoesNotExist, AttributeError):
        return f"{model._meta.verbose_name} #{row.id}"


def _as_they_were(model, rows):
    """The records ``rows`` (history entries) describe, with the records their names read
    (a charge's article, a link's person and case) fetched in one query per relation, not one
    per row."""
    # Built from the history row's own columns: ``row.instance`` would read each record's
    # columns kept out of history (a case's per-level times) with one query per row.
    columns = [field.attname for field in model._meta.concrete_fields]
    instances = [
        model(**{name: getattr(row, name) for name in columns if hasattr(row, name)})
        for row in rows
    ]
    relations = [f.name for f in model._meta.fields if f.many_to_one]
    prefetch_related_objects(instances, *relations)
    return instances


def recent_changes(user, *, mine, limit=10):
    """The latest history entries written by ``user`` (``mine``) or by anyone else, newest
    first, whatever path wrote them (admin, "Log a hearing", API, import)."""
    streams = []
    for model in tracked_models():
        history = model.history.select_related("history_user")
        history = history.filter(history_user=user) if mine else history.exclude(history_user=user)
        records = list(history.order_by("-history_date")[:limit])
        streams.append(
            [
                Change(
                    when=r.history_date,
                    user=r.history_user,
                    action=r.get_history_type_display(),
                    label=model._meta.verbose_name,
                    record=_describe(model, r, instance),
                    url=None if r.history_type == "-" else _admin_url(model, r.id),
                )
                for r, instance in zip(records, _as_they_were(model, records), strict=True)
            ]
        )
    newest_first = merge(*streams, key=lambda c: c.when, reverse=True)
    return [change for _, change in zip(range(limit), newest_first, strict=False)]


@dataclass
class FlagGroup:
    """The records flagged for review about one case (or one record outside any case)."""

    record: str
    url: str
    latest: object = None
    note: str = ""
    counts: Counter = field(default_factory=Counter)

    def add(self, model, obj):
        self.counts[model] += 1
        if self.latest is None or obj.updated_at > self.latest:
            self.latest, self.note = obj.updated_at, obj.review_note or self.note

    @property
    def summary(self):
        """ "3 charges, 1 hearing": how many records of each kind are flagged."""
        return ", ".join(
            ngettext("%(n)d %(one)s", "%(n)d %(many)s", n)
            % {"n": n, "one": m._meta.verbose_name, "many": m._meta.verbose_name_plural}
            for m, n in self.counts.items()
        )


def flagged_for_review(limit=20, per_type=200):
    """Records flagged for review, grouped by the case they belong to (a case's own flag joins
    its group), the most recently flagged group first, each with its latest note. One query
    per record type."""
    groups = {}
    for model in tracked_models():
        if not any(f.name == "needs_review" for f in model._meta.fields):
            continue
        in_case = model is not Case and any(f.name == "case" for f in model._meta.fields)
        flagged = model.objects.filter(needs_review=True).order_by("-updated_at")
        if in_case:
            flagged = flagged.select_related("case")
        for obj in flagged[:per_type]:
            owner = obj.case if in_case else obj
            key = (type(owner), owner.pk)
            if key not in groups:
                groups[key] = FlagGroup(record=str(owner), url=_admin_url(type(owner), owner.pk))
            groups[key].add(model, obj)
    newest_first = sorted(groups.values(), key=lambda g: g.latest, reverse=True)
    return newest_first[:limit]


# The detention clock ---------------------------------------------------------------------------

CLOCK_PAGE_SIZE = 20
DAYS_LEFT_CHOICES = [
    ("", _("any")),
    ("exceeded", _("limit passed")),
    ("30", _("30 days or fewer")),
    ("90", _("90 days or fewer")),
    ("unknown", _("limit unknown")),
]
CLOCK_SORTS = {
    "days_left": (_("days left, fewest first"), lambda e: (e.days_left is None, e.days_left or 0)),
    "-days_held": (_("days held, longest first"), lambda e: -e.days_held),
    "person": (_("person"), lambda e: e.defendant.name.casefold()),
    "court": (
        _("court"),
        lambda e: (e.case.court is None, e.case.court.name_en if e.case.court else ""),
    ),
}


class ClockFilter(forms.Form):
    """What the clock shows: a bad value is a form error and leaves that filter off."""

    court = forms.ModelChoiceField(
        Court.objects.order_by("name_en"), required=False, label=_("Court")
    )
    province = forms.ModelChoiceField(
        Province.objects.order_by("name_en"), required=False, label=_("Province")
    )
    left = forms.ChoiceField(choices=DAYS_LEFT_CHOICES, required=False, label=_("Days left"))
    sort = forms.ChoiceField(
        choices=[(key, label) for key, (label, _key) in CLOCK_SORTS.items()],
        required=False,
        label=_("Sort by"),
    )
    page = forms.IntegerField(min_value=1, required=False, widget=forms.HiddenInput)

    def choice(self, name, default=None):
        """The cleaned value of ``name``, or ``default`` when it is missing or invalid."""
        if name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


def _matches(entry, form):
    court, province, left = form.choice("court"), form.choice("province"), form.choice("left")
    case_court = entry.case.court
    if court and entry.case.court_id != court.pk:
        return False
    if province and (case_court is None or case_court.province_id != province.pk):
        return False
    if left == "exceeded":
        return entry.days_left is not None and entry.days_left < 0
    if left == "unknown":
        return entry.days_left is None
    if left:
        return entry.days_left is not None and entry.days_left <= int(left)
    return True


def detention_clock(today, params):
    """The clock for the dashboard: {form, page, count} after the monitor's filters, sort and
    page (``params``: the request's query)."""
    form = ClockFilter(params)
    form.is_valid()
    entries = [e for e in pretrial_clock(today) if _matches(e, form)]
    entries.sort(key=CLOCK_SORTS[form.choice("sort", "days_left")][1])
    page = Paginator(entries, CLOCK_PAGE_SIZE).get_page(form.choice("page", 1))
    return {"form": form, "page": page, "count": len(entries)}


class LogHearingPicker(forms.Form):
    """ "Log a hearing" from the dashboard: which case, found by typing part of its title,
    number or a defendant's name (the case admin's search)."""

    case = forms.ModelChoiceField(Case.objects.all(), label=_("Case"))

    def __init__(self, *args, admin_site, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.fields["case"]
        case.widget = AutocompleteSelect(
            Hearing._meta.get_field("case"), admin_site, choices=case.choices
        )


def waiting_for_publication(limit=30):
    """Changes to records others can see, held until an Editor publishes them."""
    return [
        {
            "change": change,
            "url": reverse("admin:core_pendingchange_change", args=[change.pk]),
        }
        for change in waiting()[:limit]
    ]


def monitor_dashboard(user, admin_site, params=None):
    today = timezone.localdate()
    return {
        "clock": detention_clock(today, params or {}),
        "open_alerts": list(
            DetentionAlert.objects.filter(resolved_at__isnull=True)
            .select_related("defendant", "case")
            .order_by("limit_date")[:30]
        ),
        "my_cases": list(
            Case.objects.filter(assigned_monitors=user).select_related("court").order_by("title")
        ),
        "upcoming_hearings": list(Hearing.objects.upcoming()[:10]),
        "flagged": flagged_for_review(),
        "waiting_for_publication": waiting_for_publication(),
        "stale": stale_facts(today),
        "recent_changes": recent_changes(user, mine=False),
        "my_changes": recent_changes(user, mine=True),
        "log_hearing": LogHearingPicker(admin_site=admin_site),
        # The "missing translations" queue, for everyone who may read what it lists.
        "translates": bool(translatable_types(user)),
    }
