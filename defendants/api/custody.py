from cases.api.citing import CitingSerializerMixin
from cases.models import Case
from core.api.base import TrackedSerializer, VisibleRelatedField, viewer_of
from core.api.fields import PartialDateField, precision_field
from defendants.models import CustodyPeriod, Defendant
from defendants.services import custody_period_start


class CustodyPeriodSerializer(CitingSerializerMixin, TrackedSerializer):
    defendant = VisibleRelatedField(queryset=Defendant.objects.all())
    case = VisibleRelatedField(queryset=Case.objects.all())
    start = PartialDateField("start", "start_precision")
    start_precision = precision_field()
    end = PartialDateField("end", "end_precision", required=False, allow_null=True)
    end_precision = precision_field()

    class Meta:
        model = CustodyPeriod
        fields = [
            "id",
            "defendant",
            "case",
            "kind",
            "start",
            "start_precision",
            "end",
            "end_precision",
            "note",
            "certainty",
            "last_confirmed",
            "citations",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]

    def create_record(self, validated_data):
        validated_data.pop("version", None)
        return custody_period_start(
            period=CustodyPeriod(**validated_data), proposed_by=viewer_of(self.context)
        )
