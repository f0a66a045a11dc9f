"""Upcoming hearings, as a page and as iCalendar feeds (all, per case, per court)."""

from django.shortcuts import get_object_or_404, render

from cases.models import Case, Court
from core.visibility import Visibility
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


def calendar_for_court(request, pk):
    court = get_object_or_404(Court.objects.visible_to(Visibility.PUBLIC), pk=pk)
    return calendar_response(request, upcoming_hearings(court=court), f"court-{court.pk}-hearings")
