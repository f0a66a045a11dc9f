"""What is read with a case: its nested records, each through the visibility gate.

Written once here for the API (list and detail), the public pages and the exports, so that a
nested record cannot reach a reader who may not see it through a tree someone forgot to gate.
Each function takes the viewer whose visibility level filters every level of the tree.
"""

from django.apps import apps
from django.db.models import Prefetch, Q

from cases.models import Case, CaseDefendant, Charge, Citation
from core.models import VisibleModel
from core.visibility import Visibility, level_for
from defendants.models import CustodyPeriod
from documents.models import public_text_exists
from hearings.api.serializers import with_visible_hearing
from hearings.models import Decision, Hearing


def citations(viewer):
    """A record's citations the viewer may see, as ``visible_citations``."""
    return Prefetch(
        "citations",
        queryset=Citation.objects.visible_to(viewer)
        .select_related("source")
        .annotate(source_has_public_text=public_text_exists()),
        to_attr="visible_citations",
    )


def cited(queryset, viewer):
    """``queryset`` with each record's citations the viewer may see (``visible_citations``)."""
    return queryset.prefetch_related(citations(viewer))


def decisions_with_charges(viewer):
    """Decisions the viewer may see, each naming its hearing only if the viewer may see it and
    with the charges it rules on that the viewer may see."""
    return with_visible_hearing(Decision.objects.visible_to(viewer), viewer).prefetch_related(
        Prefetch("charges", queryset=Charge.objects.visible_to(viewer))
    )


def case_prefetches(viewer, *, detail=False):
    """The API's (and the JSON export's) tree: defendants, charges and hearings; with
    ``detail`` also decisions, custody periods and citations. A constant number of queries
    whatever the page size."""
    prefetches = [
        "tags",
        Prefetch(
            "parties",
            queryset=CaseDefendant.objects.visible_to(viewer)
            .select_related("defendant")
            .order_by("id"),
            to_attr="visible_parties",
        ),
        Prefetch(
            "charges",
            queryset=Charge.objects.visible_to(viewer).select_related("article__law"),
            to_attr="visible_charges",
        ),
        Prefetch(
            "hearings", queryset=Hearing.objects.visible_to(viewer), to_attr="visible_hearings"
        ),
    ]
    if detail:
        prefetches += [
            Prefetch(
                "decisions", queryset=decisions_with_charges(viewer), to_attr="visible_decisions"
            ),
            Prefetch(
                "custody_periods",
                queryset=CustodyPeriod.objects.visible_to(viewer),
                to_attr="visible_custody_periods",
            ),
            citations(viewer),
        ]
    return prefetches


def cases_with_tree(viewer, *, detail=False):
    """Every case with its court and the tree of ``case_prefetches`` (not itself gated: the
    caller chooses which cases)."""
    return Case.objects.select_related("court__province").prefetch_related(
        *case_prefetches(viewer, detail=detail)
    )


def case_list_page_prefetches(viewer):
    """What a row of the public case list shows: the defendants and the charges."""
    return [
        Prefetch(
            "parties",
            queryset=CaseDefendant.objects.visible_to(viewer)
            .select_related("defendant")
            .order_by("id"),
            to_attr="visible_parties",
        ),
        Prefetch(
            "charges",
            queryset=Charge.objects.visible_to(viewer).select_related("article"),
            to_attr="visible_charges",
        ),
    ]


def case_page(viewer):
    """The cases the viewer may see, each with everything the case page and its timeline show,
    every record with its citations."""

    def visible(model):
        return model.objects.visible_to(viewer)

    return cited(visible(Case).select_related("court__province"), viewer).prefetch_related(
        "tags",
        Prefetch(
            "parties",
            # In the order they were recorded: a link has no order of its own.
            queryset=cited(visible(CaseDefendant).select_related("defendant"), viewer).order_by(
                "id"
            ),
            to_attr="visible_parties",
        ),
        Prefetch(
            "charges",
            queryset=cited(visible(Charge).select_related("article__law"), viewer),
            to_attr="visible_charges",
        ),
        Prefetch(
            "hearings",
            queryset=cited(visible(Hearing).select_related("court"), viewer),
            to_attr="visible_hearings",
        ),
        Prefetch(
            "decisions",
            queryset=cited(visible(Decision).select_related("court"), viewer),
            to_attr="visible_decisions",
        ),
        Prefetch(
            "custody_periods",
            queryset=cited(visible(CustodyPeriod), viewer),
            to_attr="visible_custody_periods",
        ),
    )


def with_visible_subjects(citations, user):
    """Only citations of records the caller may see: a public citation of a confidential case
    would otherwise reveal the case's id and what the source says about it. (``visible_to``
    cannot follow the generic relation, so the citation list adds this condition.)"""
    if level_for(user) >= Visibility.MONITORS:
        return citations
    hidden = Q()
    for model in apps.get_models():
        if issubclass(model, VisibleModel):
            hidden |= Q(
                content_type__app_label=model._meta.app_label,
                content_type__model=model._meta.model_name,
            ) & ~Q(object_id__in=model.objects.visible_to(user).values("pk"))
    return citations.exclude(hidden)


def paragraphs_by_source(citations):
    """``citations`` (anything with ``source`` and ``paragraph``) as {source: [paragraph, …]},
    each source once, in the order first cited, each paragraph once: a fact or a page citing
    the same paragraph twice shows it once."""
    paragraphs = {}
    for citation in citations:
        if hasattr(citation, "source_has_public_text"):  # see Source.paragraph_url
            citation.source.has_public_text = citation.source_has_public_text
        cited_paragraphs = paragraphs.setdefault(citation.source, [])
        if citation.paragraph and citation.paragraph not in cited_paragraphs:
            cited_paragraphs.append(citation.paragraph)
    return paragraphs


def sources_cited(case):
    """Every source cited on ``case``'s page (``case_page``): by the case and each record of
    its tree, once each, with the paragraphs cited, as (source, [paragraph, …]) pairs. Reads nothing
    more: the citations are already prefetched and gated."""
    records = [
        case,
        *case.visible_parties,
        *case.visible_charges,
        *case.visible_hearings,
        *case.visible_decisions,
        *case.visible_custody_periods,
    ]
    paragraphs = paragraphs_by_source(
        citation for record in records for citation in record.visible_citations
    )
    # Newest first, then by title, like the sources' own order; undated ones last.
    return sorted(
        paragraphs.items(),
        key=lambda pair: (
            pair[0].date is None,
            -pair[0].date.toordinal() if pair[0].date else 0,
            pair[0].title,
        ),
    )
