"""The API's router: every endpoint under /api/v1/."""

from django.urls import path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

from cases.api.views import (
    ArticleViewSet,
    CaseDefendantViewSet,
    CaseViewSet,
    ChargeViewSet,
    CitationViewSet,
    CourtViewSet,
    LawViewSet,
    SourceViewSet,
)
from defendants.api.views import (
    AffiliationViewSet,
    CustodyPeriodViewSet,
    DefendantViewSet,
    OrganisationViewSet,
)
from exchange.api import (
    ExportJobDetailView,
    ExportJobDownloadView,
    ExportJobListView,
    ExportView,
    TombstoneView,
)
from hearings.api.views import DecisionViewSet, HearingViewSet

router = DefaultRouter()
router.register("cases", CaseViewSet)
router.register("defendants", DefendantViewSet)
router.register("case-defendants", CaseDefendantViewSet)
router.register("affiliations", AffiliationViewSet)
router.register("charges", ChargeViewSet)
router.register("hearings", HearingViewSet)
router.register("decisions", DecisionViewSet)
router.register("custody-periods", CustodyPeriodViewSet)
router.register("citations", CitationViewSet)
router.register("sources", SourceViewSet)
router.register("articles", ArticleViewSet)
router.register("laws", LawViewSet)
router.register("courts", CourtViewSet)
router.register("organisations", OrganisationViewSet)

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its script as a file, so the docs page needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tombstones/", TombstoneView.as_view(), name="tombstones"),
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
