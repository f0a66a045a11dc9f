from django.db.models import OuterRef, Subquery
from rest_framework import serializers

from cases.api.citing import CitingSerializerMixin
from cases.models import Case, Charge, Court
from core.api.base import TrackedSerializer, VisibleRelatedField, viewer_of
from core.api.fields import PartialDateField, precision_field
from defendants.models import Defendant
from hearings.models import Decision, Hearing


class HearingSerializer(CitingSerializerMixin, TrackedSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all())
    court = serializers.PrimaryKeyRelatedField(
        queryset=Court.objects.all(), required=False, allow_null=True
    )
    date = PartialDateField()
    date_precision = precision_field()

    class Meta:
        model = Hearing
        fields = [
            "id",
            "case",
            "court",
            "date",
            "date_precision",
            "time",
            "kind",
            "status",
            "monitored",
            "outcome",
            "fair_trial_observations",
            "monitor_notes",
            "certainty",
            "citations",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
        extra_kwargs = {
            "time": {
                "help_text": "Local time in Phnom Penh (UTC+07:00), written without an offset: "
                "HH:MM:SS. Null when the time is not known."
            }
        }


def with_visible_hearing(decisions, user):
    """Annotate each decision with its hearing's id only where the caller may see the hearing:
    a public decision must not name a confidential hearing. One subquery, no extra query."""
    visible = Hearing.objects.visible_to(user).filter(pk=OuterRef("hearing_id"))
    return decisions.annotate(visible_hearing_id=Subquery(visible.values("pk")[:1]))


class DecisionSerializer(CitingSerializerMixin, TrackedSerializer):
    case = VisibleRelatedField(queryset=Case.objects.all())
    defendant = VisibleRelatedField(queryset=Defendant.objects.all())
    hearing = VisibleRelatedField(queryset=Hearing.objects.all(), required=False, allow_null=True)
    court = serializers.PrimaryKeyRelatedField(
        queryset=Court.objects.all(), required=False, allow_null=True
    )
    charges = VisibleRelatedField(queryset=Charge.objects.all(), many=True, required=False)
    date = PartialDateField()
    date_precision = precision_field()

    class Meta:
        model = Decision
        fields = [
            "id",
            "case",
            "defendant",
            "hearing",
            "court",
            "court_level",
            "kind",
            "date",
            "date_precision",
            "charges",
            "prison_months",
            "suspended_months",
            "fined",
            "fine_riel",
            "compensation_ordered",
            "compensation_riel",
            "compensation_to",
            "political_rights_ban_years",
            "in_absentia",
            "summary",
            "certainty",
            "citations",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]

    def update(self, instance, validated_data):
        instance = super().update(instance, validated_data)
        # The annotation was computed for the hearing before the update.
        instance.__dict__.pop("visible_hearing_id", None)
        return instance

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if data.get("hearing") is not None:
            if hasattr(instance, "visible_hearing_id"):
                data["hearing"] = instance.visible_hearing_id
            elif (
                not Hearing.objects.visible_to(viewer_of(self.context))
                .filter(pk=instance.hearing_id)
                .exists()
            ):
                data["hearing"] = None
        return data
