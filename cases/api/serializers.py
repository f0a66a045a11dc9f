from django.contrib.contenttypes.models import ContentType
from rest_framework import serializers

from cases.models import (
    Article,
    Case,
    CaseDefendant,
    Charge,
    Citation,
    Court,
    Law,
    Province,
    Source,
)
from core import registry
from core.api.base import ApiModelSerializer, TrackedSerializer, VisibleRelatedField
from core.api.fields import PartialDateField, precision_field
from defendants.api.custody import CustodyPeriodSerializer
from hearings.api.serializers import DecisionSerializer, HearingSerializer


class ProvinceSerializer(ApiModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "name_en", "name_km"]


class LawSerializer(ApiModelSerializer):
    class Meta:
        model = Law
        fields = ["id", "title_en", "title_km", "short_name", "year"]


class ArticleSummarySerializer(ApiModelSerializer):
    law = serializers.CharField(source="law.short_name", read_only=True)

    class Meta:
        model = Article
        fields = ["id", "number", "law", "title_en", "title_km", "offence_class"]


class ArticleSerializer(ApiModelSerializer):
    law = LawSerializer(read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "law",
            "number",
            "title_en",
            "title_km",
            "offence_class",
            "penalty_min_months",
            "penalty_max_months",
            "fine_min_riel",
            "fine_max_riel",
        ]


class CourtSerializer(ApiModelSerializer):
    province = ProvinceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Court
        fields = ["id", "name_en", "name_km", "level", "province"]


class SourceSerializer(TrackedSerializer):
    date = PartialDateField(required=False, allow_null=True)
    date_precision = precision_field()

    class Meta:
        model = Source
        fields = [
            "id",
            "title",
            "symbol",
            "publisher",
            "date",
            "date_precision",
            "covers_from",
            "covers_until",
            "url",
            "kind",
            "paragraph_count",
            "created_at",
            "updated_at",
            "visibility",
            "version",
        ]


class SubjectTypeField(serializers.ChoiceField):
    """The kind of record a citation cites, by the name partners see everywhere (its API path:
    "cases", "custody-periods"): any registered record type (core/registry.py)."""

    def __init__(self, **kwargs):
        super().__init__(choices=[t.partner_name for t in registry.record_types()], **kwargs)

    def to_representation(self, content_type):
        record_type = registry.for_model(f"{content_type.app_label}.{content_type.model}")
        return record_type.partner_name if record_type else None

    def to_internal_value(self, data):
        name = super().to_internal_value(data)
        return ContentType.objects.get_for_model(registry.by_partner_name(name).model_class)


class CitationSerializer(TrackedSerializer):
    source = VisibleRelatedField(queryset=Source.objects.all())
    source_title = serializers.CharField(source="source.title", read_only=True)
    subject_type = SubjectTypeField(
        source="content_type",
        help_text="The kind of record cited, by its API path: cases, charges, custody-periods, …",
    )
    subject_id = serializers.IntegerField(source="object_id", min_value=1)

    class Meta:
        model = Citation
        fields = [
            "id",
            "source",
            "source_title",
            "paragraph",
            "note",
            "subject_type",
            "subject_id",
            "created_at",
            "updated_at",
            "visibility",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        content_type = attrs.get("content_type") or self.instance.content_type
        object_id = attrs.get("object_id") or self.instance.object_id
        model = content_type.model_class()
        manager = getattr(model, "objects", None)
        visible = (
            manager.visible_to(self.context["request"].user)
            if hasattr(manager, "visible_to")
            else manager
        )
        if model is None or not visible.filter(pk=object_id).exists():
            raise serializers.ValidationError({"subject_id": ["No such record."]})
        return attrs


class CitedSerializer(serializers.Serializer):
    """A citation as nested under the fact it supports."""

    source = serializers.IntegerField(source="source_id")
    source_title = serializers.CharField(source="source.title")
    paragraph = serializers.CharField()
    note = serializers.CharField()


class ChargeSerializer(TrackedSerializer):
    # Null when the source names the offence but not the article.
    article = ArticleSummarySerializer(read_only=True, allow_null=True)
    date_filed = PartialDateField("date_filed", "date_filed_precision", required=False)
    date_filed_precision = precision_field()

    class Meta:
        model = Charge
        fields = [
            "id",
            "case",
            "defendant",
            "article",
            "article_as_cited",
            "label",
            "date_filed",
            "date_filed_precision",
            "status",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
        read_only_fields = fields


class CaseDefendantSerializer(ApiModelSerializer):
    """A defendant as listed in a case."""

    id = serializers.IntegerField(source="defendant.id")
    name = serializers.CharField(source="defendant.name")
    name_km = serializers.CharField(source="defendant.name_km")
    description = serializers.CharField(source="defendant.description")
    category = serializers.CharField(source="defendant.category")
    sex = serializers.CharField(source="defendant.sex")

    class Meta:
        model = CaseDefendant
        fields = ["id", "name", "name_km", "description", "category", "sex"]


class CaseDefendantLinkSerializer(TrackedSerializer):
    """A person's place in a case, as a record of its own (partners sync the links)."""

    class Meta:
        model = CaseDefendant
        # No ``note``: it is the monitors' own and no public page shows it.
        fields = [
            "id",
            "case",
            "defendant",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "version",
        ]
        read_only_fields = fields


class CourtSummarySerializer(ApiModelSerializer):
    province = serializers.CharField(source="province.name_en", default=None, allow_null=True)

    class Meta:
        model = Court
        fields = ["id", "name_en", "name_km", "level", "province"]


class CaseListSerializer(TrackedSerializer):
    # Null when no source names the court.
    court = CourtSummarySerializer(read_only=True, allow_null=True)
    tags = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    defendants = CaseDefendantSerializer(source="visible_parties", many=True, read_only=True)
    charges = ChargeSerializer(source="visible_charges", many=True, read_only=True)
    hearings = HearingSerializer(source="visible_hearings", many=True, read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "title",
            "title_km",
            "case_number",
            "status",
            "status_as_of",
            "certainty",
            "court",
            "summary",
            "summary_km",
            "tags",
            "defendant_count_is_minimum",
            "defendants",
            "charges",
            "hearings",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseListSerializer):
    decisions = DecisionSerializer(source="visible_decisions", many=True, read_only=True)
    custody_periods = CustodyPeriodSerializer(
        source="visible_custody_periods", many=True, read_only=True
    )
    citations = CitedSerializer(source="visible_citations", many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [*CaseListSerializer.Meta.fields, "decisions", "custody_periods", "citations"]
        read_only_fields = fields
