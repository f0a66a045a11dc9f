"""Citing new facts: every fact logged after the tracker started requiring sources carries at
least one citation, to a document's paragraph or to a monitor's own observation.

Every write path that creates facts (Log a hearing, the admin, the API, imports) builds a
``CitationRequest`` and calls ``cite`` on what it saved, so the rule lives here once.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cases.models import Citation, Source, SourceKind, check_paragraph
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
