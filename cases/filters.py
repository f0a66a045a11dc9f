"""Filters for case lists (API and public pages).

Every filter that looks into related records (charges, defendants, custody) looks only at the
records the caller may see: filtering by article must not reveal a case through a hidden
charge.
"""

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Article,
    Case,
    CaseDefendant,
    CaseStatus,
    Charge,
    ChargeStatus,
    Citation,
    Court,
    CourtLevel,
    Law,
    OffenceClass,
    Source,
    normalise_article_number,
)
from core import registry
from core.filters import (
    BooleanFilter,
    IdFilter,
    SearchFilter,
    TrackedFilterSet,
    id_filter,
    province_q,
    viewer,
)
from defendants.models import Affiliation, Category, CustodyPeriod
from hearings.models import Decision, Hearing


class CaseFilter(TrackedFilterSet):
    article = django_filters.CharFilter(
        method="filter_article", label=_("Article number, e.g. 494 or 437 bis")
    )
    law = IdFilter(method="filter_law", label=_("Law (id)"))
    court = id_filter("court")
    court_level = django_filters.ChoiceFilter(field_name="court__level", choices=CourtLevel.choices)
    province = django_filters.CharFilter(
        method="filter_province", label=_("Province of the court (id or English name)")
    )
    # A case has one status: no join, so no DISTINCT (which would sort the whole result).
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices, distinct=False)
    category = django_filters.ChoiceFilter(
        method="filter_category", choices=Category.choices, label=_("Category of a defendant")
    )
    organisation = IdFilter(
        method="filter_organisation", label=_("Organisation of a defendant (id)")
    )
    tag = django_filters.CharFilter(field_name="tags__slug", distinct=True)
    in_detention = BooleanFilter(
        method="filter_in_detention",
        label=_(
            "Someone in the case is in detention on `as_of` (default today): a period ending "
            "later, or an open one a source confirms within the currency window before it"
        ),
    )
    as_of = django_filters.DateFilter(method="filter_nothing", label=_("Date for in_detention"))
    hearing_after = django_filters.DateFilter(method="filter_hearing_after")
    hearing_before = django_filters.DateFilter(method="filter_hearing_before")
    decision_after = django_filters.DateFilter(method="filter_decision_after")
    decision_before = django_filters.DateFilter(method="filter_decision_before")
    year = IdFilter(
        min_value=1900,
        max_value=2100,
        method="filter_year",
        label=_("Year of a charge, hearing or decision"),
    )
    search = SearchFilter(
        method="filter_search",
        label=_("Words in a title, summary or name (Latin or Khmer); at most 10 words"),
    )

    class Meta:
        model = Case
        fields = ["updated_since"]

    # Subqueries over records the caller may see -------------------------------------------------

    def visible(self, model):
        return model.objects.visible_to(viewer(self))

    def cases_with(self, model, **conditions):
        return Q(pk__in=self.visible(model).filter(**conditions).values("case_id"))

    def filter_nothing(self, queryset, name, value):
        return queryset  # read by filter_in_detention

    def filter_article(self, queryset, name, value):
        return queryset.filter(
            self.cases_with(Charge, article__number=normalise_article_number(value))
        )

    def filter_law(self, queryset, name, value):
        return queryset.filter(self.cases_with(Charge, article__law_id=value))

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q(value, "court__province"))

    def filter_category(self, queryset, name, value):
        return queryset.filter(self.cases_with(CaseDefendant, defendant__category=value))

    def filter_organisation(self, queryset, name, value):
        people = self.visible(Affiliation).filter(organisation_id=value).values("defendant_id")
        return queryset.filter(self.cases_with(CaseDefendant, defendant_id__in=people))

    def filter_in_detention(self, queryset, name, value):
        as_of = self.form.cleaned_data.get("as_of") or timezone.localdate()
        running = self.visible(CustodyPeriod).running_on(as_of).detention()
        condition = Q(pk__in=running.values("case_id"))
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def filter_hearing_after(self, queryset, name, value):
        return queryset.filter(self.cases_with(Hearing, date__gte=value))

    def filter_hearing_before(self, queryset, name, value):
        return queryset.filter(self.cases_with(Hearing, date__lte=value))

    def filter_decision_after(self, queryset, name, value):
        return queryset.filter(self.cases_with(Decision, date__gte=value))

    def filter_decision_before(self, queryset, name, value):
        return queryset.filter(self.cases_with(Decision, date__lte=value))

    def filter_year(self, queryset, name, value):
        return queryset.filter(
            self.cases_with(Charge, date_filed__year=value)
            | self.cases_with(Hearing, date__year=value)
            | self.cases_with(Decision, date__year=value)
        )

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            people = self.visible(CaseDefendant).filter(
                Q(defendant__name__icontains=word) | Q(defendant__name_km__contains=word)
            )
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(title_km__contains=word)
                | Q(summary__icontains=word)
                | Q(summary_km__contains=word)
                | Q(case_number__icontains=word)
                | Q(pk__in=people.values("case_id"))
            )
        return queryset


class CaseDefendantFilter(TrackedFilterSet):
    case = id_filter("case")
    defendant = id_filter("defendant")

    class Meta:
        model = CaseDefendant
        fields = ["updated_since"]


class ChargeFilter(TrackedFilterSet):
    case = id_filter("case")
    defendant = id_filter("defendant")
    article = django_filters.CharFilter(method="filter_article")
    status = django_filters.ChoiceFilter(choices=ChargeStatus.choices)

    class Meta:
        model = Charge
        fields = ["status", "updated_since"]

    def filter_article(self, queryset, name, value):
        return queryset.filter(article__number=normalise_article_number(value))


class ArticleFilter(TrackedFilterSet):
    # Reference data shows no times: when it was added or changed would date the work on the
    # records using it (issue #20, finding 2).
    updated_since = None
    number = django_filters.CharFilter(method="filter_number")
    offence_class = django_filters.ChoiceFilter(choices=OffenceClass.choices)

    class Meta:
        model = Article
        fields = ["law", "offence_class"]

    def filter_number(self, queryset, name, value):
        return queryset.filter(number=normalise_article_number(value))


class CourtFilter(TrackedFilterSet):
    # Reference data shows no times: when it was added or changed would date the work on the
    # records using it (issue #20, finding 2).
    updated_since = None
    province = django_filters.CharFilter(method="filter_province")

    class Meta:
        model = Court
        fields = ["level"]

    def filter_province(self, queryset, name, value):
        return queryset.filter(province_q(value, "province"))


class LawFilter(TrackedFilterSet):
    # Reference data shows no times: when it was added or changed would date the work on the
    # records using it (issue #20, finding 2).
    updated_since = None

    class Meta:
        model = Law
        fields = []


class SourceFilter(TrackedFilterSet):
    class Meta:
        model = Source
        fields = ["updated_since"]


class CitationFilter(TrackedFilterSet):
    source = id_filter("source")
    subject_type = django_filters.ChoiceFilter(
        choices=lambda: [(t.partner_name, t.partner_name) for t in registry.record_types()],
        method="of_type",
        label=_("The kind of record cited, by its API path (cases, custody-periods, …)."),
    )
    subject_id = IdFilter(field_name="object_id")

    class Meta:
        model = Citation
        fields = ["updated_since"]

    def of_type(self, queryset, name, value: str):
        model = registry.by_partner_name(value).model_class
        return queryset.filter(content_type=ContentType.objects.get_for_model(model))
