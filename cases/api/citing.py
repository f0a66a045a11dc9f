"""The write-only ``citations`` of every fact created through the API (cases/citing.py)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.citing import CitationRequest, Observation, cite
from cases.models import Source
from core.api.base import VisibleRelatedField, viewer_of


class ObservationSerializer(serializers.Serializer):
    date = serializers.DateField(help_text=_("When you observed it."))
    place = serializers.CharField(max_length=300, help_text=_("Where you observed it."))


class CitationInputSerializer(serializers.Serializer):
    """A document and paragraph, or the caller's own observation (date and place)."""

    source = VisibleRelatedField(queryset=Source.objects.all(), required=False)
    paragraph = serializers.CharField(max_length=20, required=False, allow_blank=True)
    observation = ObservationSerializer(required=False)

    def validate(self, attrs):
        observation = attrs.get("observation")
        if observation is not None and attrs.get("source") is not None:
            raise serializers.ValidationError(
                _("Cite either a source or your own observation, not both.")
            )
        if observation is not None:
            request = CitationRequest(
                observation=Observation(
                    observer=viewer_of(self.context),
                    date=observation["date"],
                    place=observation["place"],
                )
            )
        else:
            request = CitationRequest(
                source=attrs.get("source"), paragraph=attrs.get("paragraph", "")
            )
        try:
            request.check()
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return request


class CitingSerializerMixin(serializers.Serializer):
    """A new fact must say where it comes from: ``citations`` is required when creating, and
    every citation given is stored against the record. It is never part of an answer (the
    record's citations are read from /citations/)."""

    citations = CitationInputSerializer(
        many=True,
        write_only=True,
        required=False,
        help_text=_(
            "Required to create: at least one {source, paragraph} or {observation: {date, place}}."
        ),
    )

    def validate(self, attrs):
        citations = attrs.pop("citations", None)
        errors = {}
        if self.instance is None and not citations:
            errors["citations"] = [
                _(
                    "Cite at least one source and paragraph, or your own observation, "
                    "for a new record."
                )
            ]
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as error:
            # Answer every problem at once: the record's own and the missing source.
            if not isinstance(error.detail, dict):
                raise
            errors = {**error.detail, **errors}
        if errors:
            raise serializers.ValidationError(errors)
        if citations:
            attrs["citations"] = citations
        return attrs

    def create(self, validated_data):
        citations = validated_data.pop("citations", ())
        with transaction.atomic():
            record = self.create_record(validated_data)
            for request in citations:
                cite([record], request)
        return record

    def create_record(self, validated_data):
        """Save the new record; a serializer whose records are saved by a service overrides
        this."""
        return super().create(validated_data)

    def update(self, instance, validated_data):
        citations = validated_data.pop("citations", ())
        with transaction.atomic():
            record = super().update(instance, validated_data)
            for request in citations:
                cite([record], request)
        return record
