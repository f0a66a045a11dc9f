"""What is read with a person: their nested records, each through the visibility gate.

Written once here for the API (list and detail), the public person page and the exports.
"""

from django.db.models import Prefetch

from cases.models import CaseDefendant, Charge
from cases.selectors import cited, decisions_with_charges
from defendants.models import Affiliation, CustodyPeriod, Defendant
from hearings.models import Decision


def affiliations(viewer):
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.visible_to(viewer).select_related("organisation"),
        to_attr="visible_affiliations",
    )


def defendant_prefetches(viewer, *, detail=False):
    """The API's (and the JSON export's) tree: affiliations and cases; with ``detail`` also
    charges, custody periods and decisions."""
    prefetches = [
        affiliations(viewer),
        Prefetch(
            "case_links",
            queryset=CaseDefendant.objects.visible_to(viewer).order_by("case_id"),
            to_attr="visible_case_links",
        ),
    ]
    if detail:
        prefetches += [
            Prefetch(
                "charges",
                queryset=Charge.objects.visible_to(viewer).select_related("article__law"),
                to_attr="visible_charges",
            ),
            Prefetch(
                "custody_periods",
                queryset=CustodyPeriod.objects.visible_to(viewer),
                to_attr="visible_custody_periods",
            ),
            Prefetch(
                "decisions", queryset=decisions_with_charges(viewer), to_attr="visible_decisions"
            ),
        ]
    return prefetches


def defendants_with_tree(viewer, *, detail=False):
    """Every person with their province and the tree of ``defendant_prefetches`` (not itself
    gated: the caller chooses which people)."""
    return Defendant.objects.select_related("province").prefetch_related(
        *defendant_prefetches(viewer, detail=detail)
    )


def person_page(viewer):
    """The people the viewer may see, each with everything the person page shows, the facts
    with their citations."""

    def visible(model):
        return model.objects.visible_to(viewer)

    return cited(visible(Defendant).select_related("province"), viewer).prefetch_related(
        affiliations(viewer),
        Prefetch(
            "case_links",
            queryset=visible(CaseDefendant).select_related("case__court").order_by("case__title"),
            to_attr="visible_case_links",
        ),
        Prefetch(
            "charges",
            queryset=visible(Charge).select_related("article__law", "case"),
            to_attr="visible_charges",
        ),
        Prefetch(
            "custody_periods",
            queryset=cited(visible(CustodyPeriod).select_related("case"), viewer),
            to_attr="visible_custody_periods",
        ),
        Prefetch(
            "decisions",
            queryset=cited(visible(Decision).select_related("case", "court"), viewer),
            to_attr="visible_decisions",
        ),
    )
