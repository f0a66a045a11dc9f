"""Upcoming hearings, as a page and as iCalendar feeds (all, per case, per court)."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cases.models import Case, Court
from cases.views import PUBLIC

from .calendar import calendar_response
from .models import Hearing, HearingStatus


def upcoming_hearings(viewer=PUBLIC, **filters):
    return (
        Hearing.objects.visible_to(viewer)
        .filter(date__gte=timezone.localdate(), **filters)
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case", "court")
        .order_by("date", "time", "pk")
    )


def hearing_calendar(request):
    return render(request, "hearings/calendar.html", {"hearings": upcoming_hearings()[:200]})


def calendar_all(request):
    return calendar_response(request, upcoming_hearings(), "hearings")


def calendar_for_case(request, pk):
    case = get_object_or_404(Case.objects.visible_to(PUBLIC), pk=pk)
    return calendar_response(request, upcoming_hearings(case=case), f"case-{case.pk}-hearings")


def calendar_for_court(request, pk):
    court = get_object_or_404(Court, pk=pk)
    return calendar_response(request, upcoming_hearings(court=court), f"court-{court.pk}-hearings")
