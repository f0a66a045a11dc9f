import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseDefendant, Charge, normalise_article_number
from core.filters import (
    BooleanFilter,
    IdFilter,
    SearchFilter,
    TrackedFilterSet,
    id_filter,
    province_q,
    viewer,
)
from defendants.models import (
    Affiliation,
    Category,
    CustodyKind,
    CustodyPeriod,
    Defendant,
    Organisation,
)


class DefendantFilter(TrackedFilterSet):
    category = django_filters.ChoiceFilter(choices=Category.choices)
    province = django_filters.CharFilter(method="filter_province")
    organisation = IdFilter(method="filter_organisation")
    article = django_filters.CharFilter(method="filter_article", label=_("Charged under article"))
    case = IdFilter(method="filter_case")
    in_detention = BooleanFilter(
        method="filter_in_detention",
        label=_(
            "In detention on `as_of` (default today): a period ending later, or an open one a "
            "source confirms within the currency window before it"
        ),
    )
    as_of = django_filters.DateFilter(method="filter_nothing", label=_("Date for in_detention"))
    search = SearchFilter(
        method="filter_search",
        label=_("Words in a name or description (Latin or Khmer); at most 10 words"),
    )

    class Meta:
        model = Defendant
        fields = ["category", "sex", "updated_since"]

    def visible(self, model):
        return model.objects.visible_to(viewer(self))

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q(value, "province"))

    def filter_organisation(self, queryset, name, value):
        people = self.visible(Affiliation).filter(organisation_id=value).values("defendant_id")
        return queryset.filter(pk__in=people)

    def filter_article(self, queryset, name, value):
        charged = self.visible(Charge).filter(article__number=normalise_article_number(value))
        return queryset.filter(pk__in=charged.values("defendant_id"))

    def filter_case(self, queryset, name, value):
        return queryset.filter(
            pk__in=self.visible(CaseDefendant).filter(case_id=value).values("defendant_id")
        )

    def filter_in_detention(self, queryset, name, value):
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        held = self.visible(CustodyPeriod).running_on(as_of).detention().values("defendant_id")
        return queryset.filter(pk__in=held) if value else queryset.exclude(pk__in=held)

    def filter_search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(name_km__contains=word)
                | Q(aliases__icontains=word)
                | Q(description__icontains=word)
            )
        return queryset


class CustodyPeriodFilter(TrackedFilterSet):
    defendant = id_filter("defendant")
    case = id_filter("case")
    kind = django_filters.ChoiceFilter(choices=CustodyKind.choices)
    running_on = django_filters.DateFilter(method="filter_running_on")

    class Meta:
        model = CustodyPeriod
        fields = ["kind", "updated_since"]

    def filter_running_on(self, queryset, name, value):
        return queryset.running_on(value)


class OrganisationFilter(TrackedFilterSet):
    # Reference data shows no times: when it was added or changed would date the work on the
    # records using it (issue #20, finding 2).
    updated_since = None

    class Meta:
        model = Organisation
        fields = ["kind"]


class AffiliationFilter(TrackedFilterSet):
    defendant = id_filter("defendant")
    organisation = id_filter("organisation")

    class Meta:
        model = Affiliation
        fields = ["is_former", "updated_since"]
