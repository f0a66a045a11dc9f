from django.db.models import Prefetch

from core.api.base import ReferenceViewSet, WritableVisibleViewSet
from fairtrial.api.serializers import (
    AnswerSerializer,
    AssessmentSerializer,
    ChecklistItemSerializer,
    ChecklistSerializer,
)
from fairtrial.filters import AnswerFilter, AssessmentFilter, ChecklistItemFilter
from fairtrial.models import Answer, Assessment, ChecklistItem, ChecklistVersion


class ChecklistViewSet(ReferenceViewSet):
    """The versions of the fair-trial checklist, each with its items and the standards they
    cite. Answers point at the item of the version they were given under."""

    queryset = ChecklistVersion.objects.prefetch_related(
        Prefetch("items", queryset=ChecklistItem.objects.order_by("position", "id"))
    )
    serializer_class = ChecklistSerializer
    ordering_fields = ["id", "number"]


class ChecklistItemViewSet(ReferenceViewSet):
    queryset = ChecklistItem.objects.all()
    serializer_class = ChecklistItemSerializer
    filterset_class = ChecklistItemFilter
    ordering_fields = ["id", "position"]


class AnswerViewSet(WritableVisibleViewSet):
    """Fair-trial findings per hearing, defendant and checklist item, at the caller's level.
    A note is given only to callers at its own level. Monitors record them."""

    queryset = Answer.objects.all()
    serializer_class = AnswerSerializer
    filterset_class = AnswerFilter
    ordering_fields = ["id", "updated_at"]


class AssessmentViewSet(WritableVisibleViewSet):
    """Editors' fairness assessments of cases, on the documented grade scale."""

    queryset = Assessment.objects.all()
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["id", "assessed_on", "updated_at"]

    def optimise(self, queryset):
        return queryset.prefetch_related("weighed_items")
