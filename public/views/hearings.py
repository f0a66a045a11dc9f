"""Upcoming hearings, as a page and as iCalendar feeds (all, per case, per person, per court)."""

from django.shortcuts import get_object_or_404, render

from cases.models import Case, CaseDefendant, Court
from core.visibility import Visibility
from defendants.models import Defendant
from hearings.models import Hearing
from public.calendar import calendar_response


def upcoming_hearings(**filters):
    return Hearing.objects.visible_to(Visibility.PUBLIC).upcoming().filter(**filters)


def hearing_calendar(request):
    return render(request, "hearings/calendar.html", {"hearings": upcoming_hearings()[:200]})


def calendar_all(request):
    return calendar_response(request, upcoming_hearings(), "hearings")


def calendar_for_case(request, pk):
    case = get_object_or_404(Case.objects.visible_to(Visibility.PUBLIC), pk=pk)
    return calendar_response(request, upcoming_hearings(case=case), f"case-{case.pk}-hearings")


def calendar_for_person(request, pk):
    """The upcoming hearings of the cases a person is publicly a defendant in."""
    person = get_object_or_404(Defendant.objects.visible_to(Visibility.PUBLIC), pk=pk)
    links = CaseDefendant.objects.visible_to(Visibility.PUBLIC).filter(defendant=person)
    hearings = upcoming_hearings(case__in=links.values("case_id"))
    return calendar_response(request, hearings, f"person-{person.pk}-hearings")


def calendar_for_court(request, pk):
    court = get_object_or_404(Court.objects.visible_to(Visibility.PUBLIC), pk=pk)
    return calendar_response(request, upcoming_hearings(court=court), f"court-{court.pk}-hearings")
