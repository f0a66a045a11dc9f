"""What the workspace asks a monitor after a decision is saved: a court's decision usually
changes where the case stands, and the case's status is a separate fact no decision updates."""

from django.contrib import messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _


def prompt_case_status(request, case):
    """Adds a message that asks whether ``case``'s status still holds, with a link to the
    case's change page (at its status field)."""
    url = reverse("admin:cases_case_change", args=[case.pk]) + "#id_status"
    messages.info(
        request,
        format_html(
            '{} <a href="{}">{}</a>',
            _("A decision was saved for “%(case)s”; its status still reads “%(status)s”.")
            % {"case": case.title, "status": case.get_status_display()},
            url,
            _("Update the case's status"),
        ),
    )
