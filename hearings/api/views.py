from django.db.models import Prefetch

from cases.models import Charge
from core.api.base import WritableVisibleViewSet
from hearings.api.serializers import DecisionSerializer, HearingSerializer, with_visible_hearing
from hearings.filters import DecisionFilter, HearingFilter
from hearings.models import Decision, Hearing


class HearingViewSet(WritableVisibleViewSet):
    """Hearings, past and scheduled. Monitors create and update them."""

    queryset = Hearing.objects.all()
    serializer_class = HearingSerializer
    filterset_class = HearingFilter
    ordering_fields = ["id", "date", "updated_at"]


class DecisionViewSet(WritableVisibleViewSet):
    """Decisions per defendant. Monitors create and update them."""

    queryset = Decision.objects.all()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    ordering_fields = ["id", "date", "updated_at"]

    def optimise(self, queryset):
        visible_charges = Charge.objects.visible_to(self.request.user)
        queryset = with_visible_hearing(queryset, self.request.user)
        return queryset.prefetch_related(Prefetch("charges", queryset=visible_charges))
