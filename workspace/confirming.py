"""The dashboard's "stale" queue: open facts no source has confirmed for ``STALE_AFTER_DAYS``,
and the page that confirms one with a source in one step (or sends the monitor to record what
changed).

A confirmation is a citation (cases/citing.py): the fact's ``last_confirmed`` follows from it,
at the level of the citation and its source. A Monitor's confirmation (and any observation) is
monitors-only until an Editor publishes it, so it takes the fact off this queue at once and
dates it for the public only then.
"""

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import DateField, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.citing import cite, confirmed_day
from cases.forms import CitationForm
from cases.models import Case, CaseStatus, Citation
from core import publication
from defendants.models import CustodyKind, CustodyPeriod

# Facts that stay true until something changes them: a custody state, a case not yet closed.
OPEN_CUSTODY = [
    CustodyKind.POLICE_CUSTODY,
    CustodyKind.PRETRIAL_DETENTION,
    CustodyKind.IMPRISONMENT,
    CustodyKind.BAIL,
    CustodyKind.HOUSE_ARREST,
]
CLOSED_STATUSES = [CaseStatus.FINAL, CaseStatus.DISMISSED]


def confirmable():
    """The open facts, by model name: open custody periods and cases not yet closed."""
    return {
        "custodyperiod": CustodyPeriod.objects.filter(
            end__isnull=True, kind__in=OPEN_CUSTODY
        ).select_related("defendant", "case"),
        "case": Case.objects.exclude(status__in=CLOSED_STATUSES),
    }


def _confirmed_at_any_level(model):
    """The latest day any citation of the record confirms, whoever may read it."""
    citations = (
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
        )
        .order_by()
        .values("object_id")
        .annotate(day=confirmed_day())
        .values("day")
    )
    return Subquery(citations, output_field=DateField())


def describe(record):
    """What the queue and the confirm page call a fact: a custody period with its person and
    case."""
    if isinstance(record, CustodyPeriod):
        return f"{record.defendant}: {record} ({record.case})"
    return str(record)


def stale_facts(today=None, limit=30):
    """Open facts no citation (at any level) confirms within ``STALE_AFTER_DAYS`` of
    ``today``, the longest unconfirmed first: one query per kind of fact."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=settings.STALE_AFTER_DAYS)
    rows = []
    for name, queryset in confirmable().items():
        model = queryset.model
        found = (
            queryset.annotate(confirmed=_confirmed_at_any_level(model))
            .filter(Q(confirmed__isnull=True) | Q(confirmed__lt=cutoff))
            .order_by("confirmed", "pk")[:limit]
        )
        opts = model._meta
        rows += [
            {
                "label": opts.verbose_name,
                "record": record,
                "description": describe(record),
                "confirmed": record.confirmed,
                "confirm_url": reverse("admin:confirm-fact", args=[name, record.pk]),
                "edit_url": reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk]
                ),
            }
            for record in found
        ]
    rows.sort(key=lambda row: (row["confirmed"] is not None, row["confirmed"] or today))
    return rows[:limit]


def confirm_fact(request, model_name, pk):
    """Confirm an open fact with a source: a document and paragraph, or what the monitor saw."""
    queryset = confirmable().get(model_name)
    if queryset is None:
        raise Http404
    record = queryset.filter(pk=pk).first()
    if record is None:
        raise Http404
    opts = record._meta
    if not request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
        raise Http404
    form = CitationForm(request.POST or None, user=request.user, prefix="cite")
    if request.method == "POST" and form.is_valid():
        # A monitor's confirmation is a new fact about a record others may read: its citation
        # stays at the monitors' level until an Editor publishes it (core/publication.py).
        level = publication.writer_level(request.user)
        with transaction.atomic():
            cite([record], form.cleaned_data["request"], visibility=max(level, record.visibility))
        record.refresh_from_db(fields=["last_confirmed"])
        messages.success(
            request, _("Confirmed: “%(record)s”, cited to the source given.") % {"record": record}
        )
        return redirect("admin:index")
    context = {
        **admin.site.each_context(request),
        "title": _("Confirm a fact"),
        "record": record,
        "description": describe(record),
        "label": opts.verbose_name,
        "form": form,
        "edit_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[pk]),
    }
    return TemplateResponse(request, "admin/confirm_fact.html", context)
