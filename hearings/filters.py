import django_filters

from cases.models import CourtLevel
from core.filters import TrackedFilterSet, id_filter
from hearings.models import Decision, DecisionKind, Hearing, HearingKind, HearingStatus


class HearingFilter(TrackedFilterSet):
    case = id_filter("case")
    court = id_filter("court")
    kind = django_filters.ChoiceFilter(choices=HearingKind.choices)
    status = django_filters.ChoiceFilter(choices=HearingStatus.choices)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Hearing
        fields = ["monitored", "updated_since"]


class DecisionFilter(TrackedFilterSet):
    case = id_filter("case")
    defendant = id_filter("defendant")
    kind = django_filters.ChoiceFilter(choices=DecisionKind.choices)
    court_level = django_filters.ChoiceFilter(choices=CourtLevel.choices)
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Decision
        fields = ["in_absentia", "updated_since"]
