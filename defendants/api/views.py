import datetime

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers

from core.api.base import ReadOnlyVisibleViewSet, ReferenceViewSet, WritableVisibleViewSet
from defendants.api.custody import CustodyPeriodSerializer
from defendants.api.serializers import (
    AffiliationRecordSerializer,
    DefendantDetailSerializer,
    DefendantListSerializer,
    OrganisationSerializer,
)
from defendants.filters import (
    AffiliationFilter,
    CustodyPeriodFilter,
    DefendantFilter,
    OrganisationFilter,
)
from defendants.models import Affiliation, CustodyPeriod, Defendant, Organisation
from defendants.selectors import defendant_prefetches

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Count days in detention up to this date (YYYY-MM-DD; default today).",
)


def parse_as_of(request):
    raw = request.query_params.get("as_of")
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise serializers.ValidationError({"as_of": ["Give a date as YYYY-MM-DD."]}) from None


class DefendantViewSet(ReadOnlyVisibleViewSet):
    """People charged. A person's detail nests their charges, custody periods, decisions and
    days in detention at ``as_of``."""

    queryset = Defendant.objects.all()
    extra_query_params = ("as_of",)
    filterset_class = DefendantFilter
    ordering_fields = ["id", "name", "updated_at"]

    def get_serializer_class(self):
        return DefendantDetailSerializer if self.action == "retrieve" else DefendantListSerializer

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "retrieve":
            context["as_of"] = parse_as_of(self.request)
        return context

    def optimise(self, queryset):
        return queryset.select_related("province").prefetch_related(
            *defendant_prefetches(self.request.user, detail=self.action == "retrieve")
        )

    @extend_schema(parameters=[AS_OF])
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)


class AffiliationViewSet(ReadOnlyVisibleViewSet):
    """People's affiliations with organisations, as records partners sync."""

    queryset = Affiliation.objects.all()
    serializer_class = AffiliationRecordSerializer
    filterset_class = AffiliationFilter
    ordering_fields = ["id", "updated_at"]


class CustodyPeriodViewSet(WritableVisibleViewSet):
    """Custody periods. Monitors create and update them."""

    queryset = CustodyPeriod.objects.all()
    serializer_class = CustodyPeriodSerializer
    filterset_class = CustodyPeriodFilter
    ordering_fields = ["id", "start", "updated_at"]


class OrganisationViewSet(ReferenceViewSet):
    queryset = Organisation.objects.all()
    serializer_class = OrganisationSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["id"]
