"""The API's router: every endpoint under /api/v1/."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from core import registry
from exchange.api import (
    ChangeFeedView,
    ExportJobDetailView,
    ExportJobDownloadView,
    ExportJobListView,
    ExportView,
    TombstoneView,
)
from search.api import SearchView

router = DefaultRouter()
# Every record type with an API path (core/registry.py; each app's records.py declares its own).
for record_type in registry.record_types():
    if record_type.path:
        router.register(record_type.path, record_type.viewset_class)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the docs page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("changes/", ChangeFeedView.as_view(), name="changes"),
    path("tombstones/", TombstoneView.as_view(), name="tombstones"),
    path("search/", SearchView.as_view(), name="search"),
    path("export-jobs/", ExportJobListView.as_view(), name="export-jobs"),
    path("export-jobs/<int:pk>/", ExportJobDetailView.as_view(), name="export-job"),
    path(
        "export-jobs/<int:pk>/download/",
        ExportJobDownloadView.as_view(),
        name="export-job-download",
    ),
    re_path(
        r"^export/(?P<type>[a-z-]+)\.(?P<extension>json|csv)$", ExportView.as_view(), name="export"
    ),
    *router.urls,
]
