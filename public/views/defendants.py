from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from defendants import selectors
from public.views.cases import PUBLIC
from reads.counting import counts_reads


@counts_reads("defendants.defendant")
def defendant_detail(request, pk):
    person = get_object_or_404(selectors.person_page(PUBLIC), pk=pk)
    today = timezone.localdate()
    context = {
        "person": person,
        "today": today,
        "tally": person.detention(as_of=today, periods=person.visible_custody_periods),
        # No detention in the sources is not "0 days in detention": the page says so instead.
        "detention_recorded": any(p.is_detention for p in person.visible_custody_periods),
    }
    return render(request, "defendants/defendant_detail.html", context)
