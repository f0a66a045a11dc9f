"""``?ordering=``: one of the fields a list documents, or a 400 (never silently ignored)."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.filters import OrderingFilter

from core.models import updated_column


class StrictOrderingFilter(OrderingFilter):
    """DRF's ordering, but an unknown value (or several joined by commas) answers 400 with the
    values there are, and the schema lists them as an enum."""

    def choices(self, view):
        fields = [
            name for name in getattr(view, "ordering_fields", None) or () if name != "__all__"
        ]
        return [value for name in fields for value in (name, f"-{name}")]

    def get_ordering(self, request, queryset, view):
        asked = request.query_params.get(self.ordering_param)
        if asked is not None:
            choices = self.choices(view)
            if asked not in choices:
                raise serializers.ValidationError(
                    {
                        self.ordering_param: [
                            _("Order by one of: %(choices)s.") % {"choices": ", ".join(choices)}
                        ]
                    }
                )
        ordering = super().get_ordering(request, queryset, view)
        # ``updated_at`` is when the record changed as the caller sees it: for a record nesting
        # others, the column of the caller's level (core.models.ContainerModel).
        column = updated_column(queryset.model, request.user)
        return [
            term.replace("updated_at", column) if term.lstrip("-") == "updated_at" else term
            for term in ordering or ()
        ] or ordering

    def get_schema_operation_parameters(self, view):
        choices = self.choices(view)
        if not choices:
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": str(self.ordering_description),
                "schema": {"type": "string", "enum": choices},
            }
        ]
