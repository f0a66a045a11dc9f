from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.dates import (
    IMPOSSIBLE_OFFSET,
    NAIVE_TIME,
    DatePrecision,
    PartialDate,
    iso_at_precision,
    names_its_offset,
    offset_exists,
    utc_iso,
)


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^~?\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "2024-03",
        "description": (
            "A date at the precision its source gives: `YYYY-MM-DD` (day), `YYYY-MM` (month), "
            "`YYYY` (year). On writes, `~YYYY-MM` marks an approximate month. The companion "
            "`*_precision` field says which precision applies."
        ),
    }
)
class PartialDateField(serializers.Field):
    """A date column and its precision column, as one honest string."""

    def __init__(self, date_field="date", precision_field="date_precision", **kwargs):
        self.date_field = date_field
        self.precision_field = precision_field
        kwargs["source"] = "*"
        super().__init__(**kwargs)

    def to_representation(self, instance):
        # The precision is its own field, so an approximate month is written plainly.
        return iso_at_precision(
            getattr(instance, self.date_field), getattr(instance, self.precision_field)
        )

    def to_internal_value(self, data):
        if data in (None, ""):
            if self.required:
                self.fail("required")
            return {self.date_field: None, self.precision_field: DatePrecision.DAY}
        if not isinstance(data, str):
            raise serializers.ValidationError(
                "Give the date as a string: YYYY, YYYY-MM or YYYY-MM-DD."
            )
        try:
            value = PartialDate.parse(data)
        except Exception as error:  # django ValidationError -> DRF field error
            raise serializers.ValidationError(getattr(error, "messages", [str(error)])) from None
        return {self.date_field: value.date, self.precision_field: value.precision}


class PrecisionField(serializers.ChoiceField):
    """The precision of the date named like it (``date_filed_precision`` → ``date_filed``):
    null when that date is unknown, since an unknown date has no precision."""

    def get_attribute(self, instance):
        date_field = self.source.removesuffix("_precision")
        if getattr(instance, date_field) is None:
            return None
        return super().get_attribute(instance)

    def to_representation(self, value):
        return None if value is None else super().to_representation(value)


def precision_field():
    """The read-only companion of a PartialDateField, named like its precision column."""
    return PrecisionField(choices=DatePrecision.choices, read_only=True, allow_null=True)


class UtcDateTimeField(serializers.DateTimeField):
    """A timestamp written in UTC with ``Z``, whatever the server's time zone: one clock for
    JSON, CSV and ``server_time``."""

    def to_representation(self, value):
        if not value:
            return None
        if isinstance(value, str):
            return value
        return utc_iso(value)


class RealDateTimeField(UtcDateTimeField):
    """An ISO 8601 time that names its UTC offset, and an offset that exists on Earth: a naive
    time would be read in the server's zone, which a partner cannot know."""

    def to_internal_value(self, value):
        if isinstance(value, str) and not names_its_offset(value):
            raise serializers.ValidationError(NAIVE_TIME)
        result = super().to_internal_value(value)
        if not offset_exists(result):
            raise serializers.ValidationError(IMPOSSIBLE_OFFSET)
        return result
