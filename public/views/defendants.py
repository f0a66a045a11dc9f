from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cases.models import CaseDefendant, Charge
from defendants.models import Affiliation, CustodyPeriod, Defendant
from hearings.models import Decision
from public.views.cases import PUBLIC, cited


def defendant_detail(request, pk):
    def visible(model):
        return model.objects.visible_to(PUBLIC)

    queryset = cited(visible(Defendant).select_related("province")).prefetch_related(
        Prefetch(
            "affiliations",
            queryset=visible(Affiliation).select_related("organisation"),
            to_attr="visible_affiliations",
        ),
        Prefetch(
            "case_links",
            queryset=visible(CaseDefendant).select_related("case__court").order_by("case__title"),
            to_attr="visible_case_links",
        ),
        Prefetch(
            "charges",
            queryset=visible(Charge).select_related("article__law", "case"),
            to_attr="visible_charges",
        ),
        Prefetch(
            "custody_periods",
            queryset=cited(visible(CustodyPeriod).select_related("case")),
            to_attr="visible_custody_periods",
        ),
        Prefetch(
            "decisions",
            queryset=cited(visible(Decision).select_related("case", "court")),
            to_attr="visible_decisions",
        ),
    )
    person = get_object_or_404(queryset, pk=pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "today": today,
        "tally": person.detention(as_of=today, periods=person.visible_custody_periods),
    }
    return render(request, "defendants/defendant_detail.html", context)
