"""Public pages: what advocates read. Every page reads at the public level, whoever is logged
in, so a monitor browsing the site sees exactly what the public sees."""

import csv

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import selectors
from cases.filters import CaseFilter
from cases.models import Article, Case, Charge
from core.admin import neutralise_formula
from core.caching import remembered
from core.visibility import Visibility
from fairtrial import selectors as fairtrial_selectors
from hearings.models import Decision, DecisionKind, Hearing
from partners.api.auth import SearchRateThrottle
from public.case_citation import cite_case
from public.facets import FACET_TITLES, case_facets
from public.statistics import (
    all_charts,
    fair_trial_tables,
    headline_figures,
    reported_figures,
)
from public.timeline import case_timeline, charge_rows, distinct_citations, parties
from reads.counting import counts_reads

PUBLIC = Visibility.PUBLIC
PAGE_SIZE = 25


def language():
    return translation.get_language()


def cited(queryset):
    """``queryset`` with each record's public citations prefetched as ``visible_citations``."""
    return selectors.cited(queryset, PUBLIC)


def home(request):
    today = timezone.localdate()
    context = {
        "figures": remembered(
            "headline", lambda: headline_figures(PUBLIC, today), PUBLIC, language(), today
        ),
        "reported": reported_figures(PUBLIC),
        "recent_cases": Case.objects.visible_to(PUBLIC)
        .select_related("court")
        .order_by("-changed_public", "-pk")[:6],
        "upcoming_hearings": Hearing.objects.visible_to(PUBLIC).upcoming()[:8],
    }
    return render(request, "cases/home.html", context)


def case_list(request):
    # Searching costs more than browsing: the same per-caller search budget as the API's.
    if not SearchRateThrottle().allow_request(request, None):
        message = _("Too many searches from your address. Wait a while and try again.")
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    filterset = CaseFilter(request.GET, queryset=Case.objects.visible_to(PUBLIC))
    filterset.viewer = PUBLIC
    cases = filterset.qs.select_related("court__province").order_by("title", "pk")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = page.object_list.prefetch_related(
        *selectors.case_list_page_prefetches(PUBLIC)
    )
    query = request.GET.copy()
    query.pop("page", None)
    # Only the parameters the filters know: random extra ones must not make new entries.
    filters = sorted((k, v) for k, v in query.lists() if k in filterset.filters and any(v))
    facets = remembered(
        "facets",
        lambda: case_facets(filterset.qs, PUBLIC, filtered=bool(filters)),
        PUBLIC,
        language(),
        timezone.localdate(),  # "detained now" changes with the day
        filters,
    )
    context = {
        "filterset": filterset,
        "page": page,
        "facets": [(name, FACET_TITLES[name], values) for name, values in facets.items() if values],
        "active": {k: request.GET.getlist(k) for k in request.GET if k != "page"},
        "query": query.urlencode(),
        "search": request.GET.get("search", ""),
    }
    return render(request, "cases/case_list.html", context)


def public_case(pk):
    """A public case with everything its page shows, each part through the visibility gate."""
    return get_object_or_404(selectors.case_page(PUBLIC), pk=pk)


def fair_trial(case):
    """What the case page and the report show of fair-trial monitoring, at the public level."""
    return {
        "assessment": fairtrial_selectors.assessment_of(case, PUBLIC),
        "monitored_hearings": fairtrial_selectors.findings_by_hearing(case, PUBLIC),
    }


@counts_reads("cases.case")
def case_detail(request, pk):
    case = public_case(pk)
    named, unnamed = parties(case)
    context = {
        "case": case,
        "timeline": case_timeline(case),
        "citation": cite_case(case, request),
        "charge_rows": charge_rows(case),
        "named_parties": named,
        "unnamed_parties": unnamed,
        **fair_trial(case),
    }
    return render(request, "cases/case_detail.html", context)


def case_report(request, pk):
    """A printable trial-monitoring report of a case: the browser prints it (site.css has the
    print styles)."""
    case = public_case(pk)
    context = {
        "case": case,
        "observed_hearings": fairtrial_selectors.observed_hearings(case),
        "sources": selectors.sources_cited(case),
        **fair_trial(case),
    }
    return render(request, "cases/case_report.html", context)


@counts_reads("cases.article")
def article_detail(request, pk):
    article = get_object_or_404(
        cited(Article.objects.visible_to(PUBLIC).select_related("law")), pk=pk
    )
    charges = Charge.objects.visible_to(PUBLIC).filter(article=article)
    cases = (
        Case.objects.visible_to(PUBLIC)
        .filter(pk__in=charges.values("case_id"))
        .select_related("court")
        .order_by("title")
    )
    labels = dict(DecisionKind.choices)
    outcomes = (
        Decision.objects.visible_to(PUBLIC)
        .filter(
            pk__in=Decision.charges.through.objects.filter(charge__in=charges).values("decision_id")
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    context = {
        "article": article,
        "cases": Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page")),
        "outcomes": [(labels.get(kind, kind), n) for kind, n in outcomes],
        "citations": distinct_citations(article.visible_citations),
    }
    return render(request, "cases/article_detail.html", context)


def statistics_figures():
    """The statistics page's charts and fair-trial tables, computed together once per change to
    the data (and per day: the time people have spent in detention grows with it)."""
    return remembered(
        "statistics",
        lambda: {"charts": all_charts(PUBLIC), "tables": fair_trial_tables(PUBLIC)},
        PUBLIC,
        language(),
        timezone.localdate(),
    )


def statistics(request):
    return render(request, "cases/statistics.html", statistics_figures())


def statistics_csv(request, slug):
    figures = statistics_figures()
    download = next((d for d in figures["charts"] + figures["tables"] if d.slug == slug), None)
    if download is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    # A byte-order mark first: without it spreadsheet programs read the file in the system's
    # legacy encoding and garble Khmer (and any non-ASCII) labels.
    response.write("\ufeff")
    writer = csv.writer(response)
    # Labels are names monitors typed (a law's short name …): a spreadsheet must not run them.
    writer.writerows(
        [neutralise_formula(cell if isinstance(cell, int | float) else str(cell)) for cell in row]
        for row in download.csv_rows()
    )
    return response
