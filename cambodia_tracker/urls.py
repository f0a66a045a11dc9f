from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.http import HttpResponse
from django.urls import include, path

from cambodia_tracker import health
from following.urls import urlpatterns as following_urls
from public.feeds import CaseEventsFeed, CaseUpdatesFeed
from public.sitemaps import SITEMAPS
from public.views import about as about_views
from public.views import cases as case_views
from public.views import citations as citation_views
from public.views import defendants as defendant_views
from public.views import documents as document_views
from public.views import hearings as hearing_views
from search import views as search_views

ROBOTS = """User-agent: *
Disallow: /admin/
Disallow: /api/
Disallow: /i18n/
Sitemap: {sitemap}
"""


def robots_txt(request):
    sitemap = request.build_absolute_uri("/sitemap.xml")
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain")


# Public pages: English at /cases/…, Khmer at /km/cases/…
public = [
    path("", case_views.home, name="home"),
    path("cases/", case_views.case_list, name="case-list"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/report/", case_views.case_report, name="case-report"),
    path("cases/<int:pk>/cite.bib", citation_views.case_bibtex, name="case-cite-bibtex"),
    path("cases/<int:pk>/cite.json", citation_views.case_csl_json, name="case-cite-csl-json"),
    path("cases/<int:pk>/hearings.ics", hearing_views.calendar_for_case, name="case-calendar"),
    path("people/<int:pk>/", defendant_views.defendant_detail, name="defendant-detail"),
    path("articles/<int:pk>/", case_views.article_detail, name="article-detail"),
    path("statistics/", case_views.statistics, name="statistics"),
    path("methodology/", about_views.methodology, name="methodology"),
    path("statistics/<slug:slug>.csv", case_views.statistics_csv, name="statistics-csv"),
    path("hearings/", hearing_views.hearing_calendar, name="hearing-calendar"),
    path("hearings.ics", hearing_views.calendar_all, name="calendar-all"),
    path("courts/<int:pk>/hearings.ics", hearing_views.calendar_for_court, name="court-calendar"),
    path("feeds/cases.atom", CaseUpdatesFeed(), name="case-feed"),
    path("cases/<int:pk>/feed.atom", CaseEventsFeed(), name="case-events-feed"),
    path("people/<int:pk>/hearings.ics", hearing_views.calendar_for_person, name="person-calendar"),
    *following_urls,
    path("sources/<int:pk>/text/", document_views.source_text, name="source-text"),
    path(
        "documents/<int:pk>/download/",
        document_views.document_download,
        name="document-download",
    ),
    path("search/", search_views.search_page, name="search"),
]

handler404 = "cambodia_tracker.health.not_found"
handler500 = "cambodia_tracker.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("cambodia_tracker.api_router")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("robots.txt", robots_txt, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    *i18n_patterns(*public, prefix_default_language=False),
]
