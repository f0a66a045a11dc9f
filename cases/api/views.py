from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from cases.api import examples, listing
from cases.api.serializers import (
    ArticleSerializer,
    CaseDefendantLinkSerializer,
    CaseDetailSerializer,
    CaseListSerializer,
    ChargeSerializer,
    CitationSerializer,
    CourtSerializer,
    LawSerializer,
    SourceSerializer,
)
from cases.filters import (
    ArticleFilter,
    CaseDefendantFilter,
    CaseFilter,
    ChargeFilter,
    CitationFilter,
    CourtFilter,
    LawFilter,
    SourceFilter,
)
from cases.models import Article, Case, CaseDefendant, Charge, Citation, Court, Law, Source
from cases.selectors import case_prefetches, with_visible_subjects
from core.api.base import ReadOnlyVisibleViewSet, ReferenceViewSet, WritableVisibleViewSet
from core.caching import remembered, remembered_record
from core.models import updated_column
from core.visibility import Visibility, level_for


@extend_schema_view(
    list=extend_schema(examples=[examples.CASE_LIST]),
    retrieve=extend_schema(examples=[examples.CASE_DETAIL]),
)
class CaseViewSet(ReadOnlyVisibleViewSet):
    """Cases with their defendants, charges and hearings; a case's detail adds its decisions,
    custody periods and citations."""

    queryset = Case.objects.all()
    filterset_class = CaseFilter
    ordering_fields = ["id", "updated_at", "created_at", "title"]

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseListSerializer

    def list(self, request, *args, **kwargs):
        # Partners and anonymous readers get the same fields from plain rows, much faster
        # (cases/api/listing.py); monitors, who see more fields, get the serializer's answer.
        # A page is also kept in the cache until the data changes (core/caching.py).
        level = level_for(request.user)
        if level >= Visibility.MONITORS:
            return super().list(request, *args, **kwargs)

        def page():
            cases = self.filter_queryset(Case.objects.visible_to(level))
            rows = self.paginate_queryset(cases.values(*listing.CASE_COLUMNS))
            return self.get_paginated_response(listing.case_list(rows, level)).data

        return Response(
            remembered(
                "api-cases",
                page,
                level,
                timezone.localdate(),  # in_detention's default day
                request.build_absolute_uri(),
            )
        )

    def retrieve(self, request, *args, **kwargs):
        # A case's detail is kept in the cache under the case's own "changed" time for the
        # caller's level, which moves when anything the detail shows changes for that level
        # (core.models.ContainerModel): an edit to another case leaves it (core/caching.py).
        # Monitors, like on the list, get the serializer's answer each time; the others the
        # same fields written from plain rows (cases/api/listing.py).
        level = level_for(request.user)
        if level >= Visibility.MONITORS:
            return super().retrieve(request, *args, **kwargs)

        # The answer and its "changed" time read the case through the same gate and filters:
        # a case the caller may not see is a 404 alike.
        visible = self.filter_queryset(Case.objects.visible_to(level))

        def detail():
            row = get_object_or_404(visible.values(*listing.CASE_COLUMNS), pk=kwargs["pk"])
            return listing.case_details([row], level)[0]

        def changed():
            column = updated_column(Case, level)
            return get_object_or_404(visible.values_list(column, flat=True), pk=kwargs["pk"])

        return Response(
            remembered_record(
                "api-case",
                detail,
                level,
                kwargs["pk"],
                changed,
                timezone.localdate(),  # in_detention's default day
                *self.detail_variant(request),
            )
        )

    def detail_variant(self, request):
        """What the cached detail's body depends on in the request: its address and the
        parameters that shape the answer (``fields``, ``omit``, ``format``…). The list's
        filters only decide between the answer and a 404, which ``changed`` asks each time:
        left out of the key, so that made-up filter values cannot fill the cache."""
        filters = set(self.filterset_class.base_filters)
        shaping = sorted(
            (name, value)
            for name, values in request.query_params.lists()
            if name not in filters
            for value in values
        )
        return request.build_absolute_uri(request.path), shaping

    def optimise(self, queryset):
        return queryset.select_related("court__province").prefetch_related(
            *case_prefetches(self.request.user, detail=self.action == "retrieve")
        )


class CaseDefendantViewSet(ReadOnlyVisibleViewSet):
    """Who is a defendant in which case: the links partners sync (a case lists its defendants,
    but linking a person changes neither the case nor the person)."""

    queryset = CaseDefendant.objects.all()
    serializer_class = CaseDefendantLinkSerializer
    filterset_class = CaseDefendantFilter
    ordering_fields = ["id", "updated_at"]


class ChargeViewSet(ReadOnlyVisibleViewSet):
    queryset = Charge.objects.all()
    serializer_class = ChargeSerializer
    filterset_class = ChargeFilter
    ordering_fields = ["id", "updated_at"]

    def optimise(self, queryset):
        return queryset.select_related("article__law")


class SourceViewSet(WritableVisibleViewSet):
    queryset = Source.objects.all()
    serializer_class = SourceSerializer
    filterset_class = SourceFilter
    ordering_fields = ["id", "updated_at"]


class CitationViewSet(WritableVisibleViewSet):
    queryset = Citation.objects.all()
    serializer_class = CitationSerializer
    filterset_class = CitationFilter
    ordering_fields = ["id", "updated_at"]

    def get_queryset(self):
        return with_visible_subjects(super().get_queryset(), self.request.user)

    def optimise(self, queryset):
        return queryset.select_related("source", "content_type")


class ArticleViewSet(ReferenceViewSet):
    queryset = Article.objects.select_related("law")
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    ordering_fields = ["id", "number_sort"]


class CourtViewSet(ReferenceViewSet):
    queryset = Court.objects.select_related("province")
    serializer_class = CourtSerializer
    filterset_class = CourtFilter
    ordering_fields = ["id"]


class LawViewSet(ReferenceViewSet):
    queryset = Law.objects.all()
    serializer_class = LawSerializer
    filterset_class = LawFilter
    ordering_fields = ["id"]
