from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from cases.models import Case
from core.admin import VISIBILITY_PERMISSION
from core.api.base import (
    ApiModelSerializer,
    TrackedSerializer,
    VisibleRelatedField,
    viewer_of,
)
from core.visibility import Visibility, level_for
from defendants.models import Defendant
from fairtrial.models import Answer, Assessment, ChecklistItem, ChecklistVersion
from hearings.models import Hearing


class ChecklistItemSerializer(ApiModelSerializer):
    english_only = serializers.BooleanField(
        read_only=True, help_text="No checked Khmer translation: text_km is empty."
    )

    class Meta:
        model = ChecklistItem
        fields = [
            "id",
            "checklist",
            "stage",
            "position",
            "code",
            "text_en",
            "text_km",
            "english_only",
            "standard",
            "ccp_article",
        ]


class ChecklistSerializer(ApiModelSerializer):
    items = ChecklistItemSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistVersion
        fields = ["id", "number", "title", "introduced_on", "note", "items"]


class AnswerSerializer(TrackedSerializer):
    hearing = VisibleRelatedField(queryset=Hearing.objects.all())
    defendant = VisibleRelatedField(queryset=Defendant.objects.all())
    item = serializers.PrimaryKeyRelatedField(queryset=ChecklistItem.objects.all())

    class Meta:
        model = Answer
        fields = [
            "id",
            "case",
            "hearing",
            "defendant",
            "item",
            "finding",
            "note",
            "note_visibility",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
        read_only_fields = ["case"]

    def get_fields(self):
        fields = super().get_fields()
        viewer = viewer_of(self.context)
        if level_for(viewer) < Visibility.MONITORS:
            fields.pop("note_visibility", None)
        elif "note_visibility" in fields and not viewer.has_perm(VISIBILITY_PERMISSION):
            # Publishing a note is publishing: Editors decide it.
            fields["note_visibility"].read_only = True
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if "note" in data:
            data["note"] = instance.note_for(viewer_of(self.context))
        return data


class AssessmentSerializer(TrackedSerializer):
    # One assessment a case: a second is a 400 (only Editors write here: it reveals nothing).
    case = VisibleRelatedField(
        queryset=Case.objects.all(),
        validators=[
            UniqueValidator(Assessment.objects.all(), message="This case is assessed already.")
        ],
    )
    weighed_items = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistItem.objects.all(), many=True, required=False
    )

    class Meta:
        model = Assessment
        fields = [
            "id",
            "case",
            "grade",
            "summary",
            "assessed_on",
            "weighed_items",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
