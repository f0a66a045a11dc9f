import django_filters

from core.filters import TrackedFilterSet, id_filter
from fairtrial.models import Answer, Assessment, ChecklistItem, Finding, Grade, Stage


class ChecklistItemFilter(django_filters.FilterSet):
    checklist = id_filter("checklist")
    stage = django_filters.ChoiceFilter(choices=Stage.choices)

    class Meta:
        model = ChecklistItem
        fields = ["code"]


class AnswerFilter(TrackedFilterSet):
    case = id_filter("case")
    hearing = id_filter("hearing")
    defendant = id_filter("defendant")
    item = id_filter("item")
    # The same right across versions: "access to a lawyer was violated" is
    # ?right=lawyer-from-arrest&finding=violated.
    right = django_filters.CharFilter(field_name="item__code", max_length=60)
    finding = django_filters.ChoiceFilter(choices=Finding.choices)

    class Meta:
        model = Answer
        fields = ["updated_since"]


class AssessmentFilter(TrackedFilterSet):
    case = id_filter("case")
    grade = django_filters.ChoiceFilter(choices=Grade.choices)

    class Meta:
        model = Assessment
        fields = ["updated_since"]
