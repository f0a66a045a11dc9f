"""Citing new facts: every fact logged after the tracker started requiring sources carries at
least one citation, to a document's paragraph or to a monitor's own observation.

Every write path that creates facts (Log a hearing, the admin, the API, imports) builds a
``CitationRequest`` and calls ``cite`` on what it saved, so the rule lives here once.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Citation, Source, SourceKind, check_paragraph
from core import signals
from core.models import changed_now
from core.visibility import Visibility


@dataclass(frozen=True)
class Observation:
    """What a monitor saw for themselves: who, when and where."""

    observer: object  # the monitor (a user)
    date: object  # a datetime.date
    place: str


@dataclass(frozen=True)
class CitationRequest:
    """The source of what is being logged: a document and paragraph, or an observation."""

    source: Source | None = None
    paragraph: str = ""
    observation: Observation | None = None

    def check(self):
        """Raise ``ValidationError`` unless this names a source the facts can be cited to."""
        if self.observation is not None:
            if not self.observation.place.strip():
                raise ValidationError({"place": _("Say where you observed it.")})
            if self.observation.date is None:
                raise ValidationError({"date": _("Say when you observed it.")})
            return
        if self.source is None:
            raise ValidationError(
                {"source": _("Cite a source and paragraph, or mark it as your own observation.")}
            )
        if self.source.kind == SourceKind.DOCUMENT and not self.paragraph.strip():
            raise ValidationError({"paragraph": _("Name the paragraph that says it.")})
        check_paragraph(self.source, self.paragraph)


def observation_source(observation):
    """A new source recording a monitor's own observation; monitors only, as every
    observation starts."""
    observer = observation.observer
    name = observer.get_full_name() or observer.get_username()
    source = Source(
        kind=SourceKind.OBSERVATION,
        title=_("Observed by %(who)s at %(place)s on %(date)s")
        % {"who": name, "place": observation.place, "date": observation.date.isoformat()},
        observer=observer,
        place=observation.place,
        date=observation.date,
        date_precision="day",
        visibility=Visibility.MONITORS,
    )
    source.full_clean()
    source.save()
    return source


def resolved(request):
    """``request`` with its observation (if any) saved as a source: what several ``cite``
    calls of one logged change share, so that one observation is one source."""
    request.check()
    if request.observation is None:
        return request
    return CitationRequest(source=observation_source(request.observation))


def cite(records, request, *, visibility=None):
    """Cite each of ``records`` (saved facts) to ``request``; returns the citations.

    An observation becomes one new source shared by all the records. A citation is as
    visible as the fact it supports (never more than its source: ``Citation.visibility_via``).
    Raises ``ValidationError`` and saves nothing more if the request is incomplete.
    """
    request = resolved(request)
    source = request.source
    paragraph = request.paragraph.strip()
    citations = []
    for record in records:
        citation = Citation(
            source=source,
            paragraph=paragraph,
            subject=record,
            visibility=visibility if visibility is not None else record.visibility,
        )
        citation.full_clean()
        citation.save()
        citations.append(citation)
    return citations


# --- Last confirmation --------------------------------------------------------------------------
# A fact is as old as its last confirmation (core/currency.py). The day a citation confirms is
# the last day its source covers (a report's period), else the source's own date (a judgment,
# a monitor's observation). Only citations at most as visible as the fact count: whoever can
# read the fact can read what dates it, and a confidential note never moves a public date.


def confirmed_day():
    """The day a group of citations confirms: the latest end of a covered period, else of a
    source's date. The one definition the derived date and the stale queue share."""
    return Max(Coalesce("source__covers_until", "source__date"))


def refresh_confirmation(subjects):
    """Derive ``last_confirmed`` of each of ``subjects`` (saved records) from their citations.

    Written with ``update()``, not ``save()``: it is derived, not an edit, so it adds no history
    entry and no version (a monitor's open form does not conflict with it); ``updated_at``
    moves, so partners syncing by it see the new date.
    """
    for subject in subjects:
        if subject is None or subject.pk is None or not hasattr(subject, "last_confirmed"):
            continue
        level = subject.visibility
        latest = Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(subject),
            object_id=subject.pk,
            visibility__lte=level,
            source__visibility__lte=level,
        ).aggregate(day=confirmed_day())["day"]
        if latest == subject.last_confirmed:
            continue
        type(subject)._base_manager.filter(pk=subject.pk).update(
            last_confirmed=latest, **changed_now(type(subject), timezone.now())
        )
        subject.last_confirmed = latest
        signals.derived_fields_changed.send(sender=type(subject), instance=subject)


def subjects_of(citations):
    """The records ``citations`` support, read in one query per type."""
    wanted = defaultdict(set)
    for content_type_id, object_id in citations.values_list("content_type_id", "object_id"):
        wanted[content_type_id].add(object_id)
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            yield from model._base_manager.filter(pk__in=ids)


def citation_changed(sender, instance, **kwargs):
    """A citation was saved or deleted: its fact's last confirmation may have moved."""
    model = instance.content_type.model_class()
    if model is None:
        return
    refresh_confirmation([model._base_manager.filter(pk=instance.object_id).first()])


def source_changed(sender, instance, created=False, **kwargs):
    """A source's dates or visibility changed: so may every fact citing it."""
    if not created:
        refresh_confirmation(subjects_of(instance.citations.all()))


def record_saved(sender, instance, created=False, **kwargs):
    """A fact's own visibility changed: which of its citations date it changes too."""
    if created or not hasattr(instance, "last_confirmed"):
        return
    loaded = getattr(instance, "_loaded_visibility", None)
    if loaded is not None and loaded != instance.visibility:
        refresh_confirmation([instance])
    instance._loaded_visibility = instance.visibility
