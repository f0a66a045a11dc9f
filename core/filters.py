"""Filter building blocks every list uses: incremental sync (``updated_since``), ids that
reveal nothing, whose eyes a filter works for, and the filter backend."""

import django_filters
from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.dates import IMPOSSIBLE_OFFSET, NAIVE_TIME, names_its_offset, offset_exists
from core.models import updated_column


class RealDateTimeField(IsoDateTimeField):
    """An ISO 8601 time with a UTC offset that exists on Earth (databases refuse others)."""

    def to_python(self, value):
        if value not in self.empty_values and not names_its_offset(value):
            raise forms.ValidationError(NAIVE_TIME, code="naive")
        result = super().to_python(value)
        if not offset_exists(result):
            raise forms.ValidationError(IMPOSSIBLE_OFFSET)
        return result


class RealDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = RealDateTimeField


class StrictBooleanField(forms.NullBooleanField):
    """``true`` or ``false`` (and the spellings Django always read: ``True``, ``1`` …); anything
    else is an error, where Django's field reads it as "no filter" and answers everything."""

    widget = forms.TextInput  # hands the text over as sent (the select maps unknowns to None)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        result = super().to_python(value)
        if result is None:
            raise forms.ValidationError(_("Write true or false."), code="invalid")
        return result


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class TrackedFilterSet(django_filters.FilterSet):
    """Every list can be asked for only what changed since a time: incremental sync.

    Filters made from ``Meta.fields`` are strict too: a yes-or-no field takes only true or
    false, and a related record's id is matched without looking it up (``IdFilter``)."""

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": BooleanFilter},
        models.ForeignKey: {"filter_class": lambda **kwargs: IdFilter(**kwargs)},
    }

    updated_since = RealDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        method="filter_updated_since",
        label=_("Only records changed at or after this time (ISO 8601)."),
    )

    def filter_updated_since(self, queryset, name, value):
        # A record nesting others changed when they did, as the caller sees them
        # (core.models.ContainerModel).
        column = updated_column(queryset.model, viewer(self))
        return queryset.filter(**{f"{column}__gte": value})


MAX_ID = 2**63 - 1


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.Filter):
    """A record id: a whole number a database column can hold (anything else is a 400)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def id_filter(field):
    """Filter on a related record's id without looking it up: a lookup would answer
    differently for a hidden record (no match) and a missing one (an error), revealing which
    ids exist."""
    return IdFilter(field_name=f"{field}_id")


def viewer(filterset):
    """Whose eyes the filter works for: an explicit ``viewer`` (public pages pass the public
    level), else the request's user."""
    if getattr(filterset, "viewer", None) is not None:
        return filterset.viewer
    request = getattr(filterset, "request", None)
    return request.user if request is not None else None


def province_q(value, field):
    """Match a province by id or by English name. An id no database column can hold matches
    nothing (the database would refuse it), and only ASCII digits make an id."""
    value = str(value)
    if value.isascii() and value.isdigit():
        number = int(value)
        return Q(**{f"{field}_id": number}) if number <= MAX_ID else Q(pk__in=[])
    return Q(**{f"{field}__name_en__iexact": value})


MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200


class SearchField(forms.CharField):
    """Words to search for: at most MAX_SEARCH_WORDS words and MAX_SEARCH_LENGTH characters.
    Each word adds a condition over several text columns, so a long search costs time (450
    words: seconds) and then the database's limits (1,200 words: an error)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", MAX_SEARCH_LENGTH)
        super().__init__(*args, **kwargs)

    def validate(self, value):
        super().validate(value)
        if len(value.split()) > MAX_SEARCH_WORDS:
            raise forms.ValidationError(
                _("Search for at most %(count)d words.") % {"count": MAX_SEARCH_WORDS},
                code="too_many_words",
            )


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which builds no filter set when the request names none of its
    filters: an unfiltered list (the first page partners and readers ask for most) skips
    copying and validating a few dozen filters, and the answer is the same, since a filter
    left empty filters nothing."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not (
            request.query_params.keys() & filterset_class.base_filters.keys()
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)
