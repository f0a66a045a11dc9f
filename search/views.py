"""``/search/``: the one search on the public site. Like every public page it reads at the
public level, whoever is logged in (public/views/cases.py)."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.visibility import Visibility
from search.engine import search
from search.forms import SearchForm
from search.throttles import QueryRateThrottle

PAGE_SIZE = 20


def search_page(request):
    if not QueryRateThrottle().allow_request(request, None):
        message = _("Too many searches from your address. Wait a while and try again.")
        return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
    asked = bool(request.GET.get("q", "").strip())
    form = SearchForm(request.GET if request.GET else None)
    results = None
    if asked and form.is_valid():
        results = search(form.cleaned_data["q"], Visibility.PUBLIC, **form.search_arguments())
    page = Paginator(results or [], PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "asked": asked,
        "results": results,
        "page": page,
        "query": query.urlencode(),
    }
    return render(request, "search/search.html", context)
