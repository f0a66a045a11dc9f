import datetime

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseDefendant
from core.visibility import Visibility
from hearings.models import Decision, Hearing
from public.calendar import PHNOM_PENH
from public.timeline import sentence


class CaseUpdatesFeed(Feed):
    """An Atom feed of public cases, most recently changed first, as the public sees them: a
    change only monitors see (a review note) moves nothing here (core.models.ContainerModel)."""

    feed_type = Atom1Feed
    title = _("Cambodia Trial Tracker: case updates")
    subtitle = _("Cases most recently updated in the tracker.")
    link = reverse_lazy("case-list")

    def items(self):
        return (
            Case.objects.visible_to(Visibility.PUBLIC)
            .select_related("court")
            .order_by("-changed_public", "-pk")[:50]
        )

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return reverse("case-detail", args=[case.pk])

    def item_updateddate(self, case):
        return case.changed_public

    def item_pubdate(self, case):
        return case.created_at


def day_of(record):
    """The first day a hearing or decision could have been, or None if no date is known."""
    return getattr(record.when, "earliest", None)


class CaseEventsFeed(Feed):
    """One case's hearings and decisions, newest first, as the public sees them: a reader
    follows one case in a feed reader. Each entry keeps its id when it is edited."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request, pk):
        case = get_object_or_404(Case.objects.visible_to(Visibility.PUBLIC), pk=pk)
        # Names only of the people whose place in the case the public may see.
        links = CaseDefendant.objects.visible_to(Visibility.PUBLIC).filter(case=case)
        case.people = {
            link.defendant_id: link.defendant for link in links.select_related("defendant")
        }
        return case

    def title(self, case):
        return _("%(case)s: hearings and decisions") % {"case": case.title}

    def link(self, case):
        return reverse("case-detail", args=[case.pk])

    def subtitle(self, case):
        return case.summary

    def items(self, case):
        hearings = Hearing.objects.visible_to(Visibility.PUBLIC).filter(case=case)
        decisions = Decision.objects.visible_to(Visibility.PUBLIC).filter(case=case)
        events = [*hearings.select_related("court"), *decisions.select_related("court")]
        for event in events:
            event.person = case.people.get(getattr(event, "defendant_id", None))
        return sorted(events, key=lambda e: (day_of(e) or datetime.date.min, e.pk), reverse=True)

    def item_title(self, record):
        if isinstance(record, Hearing):
            return _("%(kind)s hearing (%(status)s)") % {
                "kind": record.get_kind_display().capitalize(),
                "status": record.get_status_display(),
            }
        kind = record.get_kind_display().capitalize()
        return f"{record.person}: {kind}" if record.person else kind

    def item_description(self, record):
        if isinstance(record, Hearing):
            return record.outcome
        parts = [part for part in (sentence(record), record.summary) if part]
        return ". ".join(parts)

    def item_link(self, record):
        return reverse("case-detail", args=[record.case_id])

    def item_guid(self, record):
        return f"tag:cambodia-trial-tracker,2024:{record._meta.model_name}-{record.pk}"

    def item_pubdate(self, record):
        """The day the hearing or decision took place (its first day, if known only to the
        month): Atom needs a time, and the sources give a date."""
        day = day_of(record)
        return datetime.datetime.combine(day, datetime.time(), tzinfo=PHNOM_PENH) if day else None

    item_updateddate = item_pubdate
