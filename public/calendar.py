"""iCalendar (RFC 5545) for hearings: escaped text, folded lines, stable UIDs."""

import datetime
import zoneinfo

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

PRODID = "-//Cambodia Trial Tracker//Hearings//EN"
PHNOM_PENH = zoneinfo.ZoneInfo("Asia/Phnom_Penh")


def escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        # A bare CR ends a line for many readers: it would start a property of its own.
        .replace("\r", "\\n")
    )


def fold(line):
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts = []
    while data:
        limit = 75 if not parts else 74
        cut = min(limit, len(data))
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    return "\r\n ".join(parts)


def hearing_event(request, hearing, stamp):
    lines = ["BEGIN:VEVENT", f"UID:hearing-{hearing.pk}@cambodia-trial-tracker"]
    lines.append(f"DTSTAMP:{stamp}")
    if hearing.date_precision == "day" and hearing.time:
        local = datetime.datetime.combine(hearing.date, hearing.time, tzinfo=PHNOM_PENH)
        start = local.astimezone(datetime.UTC)
        lines.append(f"DTSTART:{start:%Y%m%dT%H%M%SZ}")
    elif hearing.date_precision == "day":
        lines.append(f"DTSTART;VALUE=DATE:{hearing.date:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{hearing.date + datetime.timedelta(days=1):%Y%m%d}")
    else:
        return []  # a hearing known only to the month is not put on a calendar day
    summary = f"{hearing.get_kind_display().capitalize()} hearing: {hearing.case.title}"
    lines.append(f"SUMMARY:{escape(summary)}")
    if hearing.court:
        lines.append(f"LOCATION:{escape(hearing.court.name_en)}")
    url = request.build_absolute_uri(reverse("case-detail", args=[hearing.case_id]))
    lines.append(f"URL:{url}")
    lines.append(f"DESCRIPTION:{escape(hearing.outcome or url)}")
    lines.append("END:VEVENT")
    return lines


def calendar_response(request, hearings, name):
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Phnom_Penh",
    ]
    for hearing in hearings:
        lines += hearing_event(request, hearing, stamp)
    lines.append("END:VCALENDAR")
    body = "\r\n".join(fold(line) for line in lines) + "\r\n"
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{name}.ics"'
    return response
