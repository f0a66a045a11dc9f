""" "Cite this case": the downloads of a public case's reference (public/case_citation.py)."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from cases.models import Case
from public.case_citation import cite_case
from public.views.cases import PUBLIC


def download(text, content_type, filename):
    response = HttpResponse(text, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def citable_case(pk):
    """A case the public may see, or 404 (also for one that exists but is not public)."""
    return get_object_or_404(Case.objects.visible_to(PUBLIC), pk=pk)


def case_bibtex(request, pk):
    citation = cite_case(citable_case(pk), request)
    return download(citation.bibtex(), "application/x-bibtex", f"case-{pk}.bib")


def case_csl_json(request, pk):
    citation = cite_case(citable_case(pk), request)
    return download(
        citation.csl_json(), "application/vnd.citationstyles.csl+json", f"case-{pk}.json"
    )
