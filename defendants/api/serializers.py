from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.api.serializers import ChargeSerializer, ProvinceSerializer
from core.api.base import ApiModelSerializer, TrackedSerializer
from defendants.api.custody import CustodyPeriodSerializer
from defendants.models import Affiliation, Defendant, Organisation
from hearings.api.serializers import DecisionSerializer


class OrganisationSerializer(ApiModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name_en", "name_km", "acronym", "kind"]


class AffiliationSerializer(ApiModelSerializer):
    organisation = OrganisationSerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["organisation", "role", "role_km", "is_former"]


class AffiliationRecordSerializer(TrackedSerializer):
    """An affiliation as a record of its own (partners sync them); the organisation is an id
    into /organisations/."""

    class Meta:
        model = Affiliation
        fields = [
            "id",
            "defendant",
            "organisation",
            "role",
            "role_km",
            "is_former",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "version",
        ]
        read_only_fields = fields


class DefendantListSerializer(TrackedSerializer):
    province = ProvinceSerializer(read_only=True, allow_null=True)
    affiliations = AffiliationSerializer(source="visible_affiliations", many=True, read_only=True)
    cases = serializers.SerializerMethodField()
    is_named = serializers.BooleanField(read_only=True)

    class Meta:
        model = Defendant
        fields = [
            "id",
            "name",
            "name_km",
            "aliases",
            "description",
            "is_named",
            "sex",
            "category",
            "province",
            "affiliations",
            "cases",
            "certainty",
            "created_at",
            "updated_at",
            "visibility",
            "needs_review",
            "review_note",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_cases(self, defendant):
        return [link.case_id for link in defendant.visible_case_links]


class DetentionSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    days = serializers.IntegerField(
        help_text="Days held in police custody, pretrial detention or prison."
    )
    exact = serializers.BooleanField(
        help_text="False when a date counted is known only to the month or year."
    )
    in_detention = serializers.BooleanField(
        help_text="Held on `as_of` as far as current sources say: a period ending later, or an "
        "open one confirmed within the currency window (30 days by default) before `as_of`."
    )
    counted_to = serializers.DateField(
        allow_null=True,
        help_text="For open periods, the day the count stops: their last confirmation by a "
        "source, never later than `as_of`. Null when every period has ended.",
    )
    as_last_reported = serializers.BooleanField(
        help_text="True when an open period is not confirmed up to `as_of`: `days` is then a "
        "minimum, counted to `counted_to`."
    )


class DefendantDetailSerializer(DefendantListSerializer):
    charges = ChargeSerializer(source="visible_charges", many=True, read_only=True)
    custody_periods = CustodyPeriodSerializer(
        source="visible_custody_periods", many=True, read_only=True
    )
    decisions = DecisionSerializer(source="visible_decisions", many=True, read_only=True)
    detention = serializers.SerializerMethodField()

    class Meta(DefendantListSerializer.Meta):
        fields = [
            *DefendantListSerializer.Meta.fields,
            "charges",
            "custody_periods",
            "decisions",
            "detention",
        ]
        read_only_fields = fields

    @extend_schema_field(DetentionSerializer)
    def get_detention(self, defendant):
        as_of = self.context["as_of"]
        tally = defendant.detention(as_of=as_of, periods=defendant.visible_custody_periods)
        return DetentionSerializer(
            {
                "as_of": as_of,
                "days": tally.days,
                "exact": tally.exact,
                "in_detention": tally.in_detention,
                "counted_to": tally.counted_to,
                "as_last_reported": tally.as_last_reported,
            }
        ).data
