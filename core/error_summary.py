"""The links of an error summary: one per field with an error, so a monitor (or a screen
reader) learns every problem of a failed save at once and jumps to each field. Used by the
admin's change forms (workspace/templatetags/error_summary.py) and "Log a hearing"."""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass
class ErrorLink:
    href: str
    where: str
    message: str


def field_anchor(bound, row_anchor):
    """Where a link to ``bound`` lands: its input; the first of a group of radio buttons or
    checkboxes (whose label points at no one input); its row for a hidden field."""
    if bound.is_hidden:
        return row_anchor
    target = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
    return f"#{target}" if target else row_anchor


def form_error_links(form, prefix_label, row_anchor):
    """The links for one form: its fields' errors, then its errors about no one field.
    ``prefix_label`` names the form on a page of several ("Sok Chan: Prison term")."""
    links = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        label = capfirst(bound.label) if bound.label else name
        where = f"{prefix_label}: {label}" if prefix_label and prefix_label != label else label
        links += [ErrorLink(field_anchor(bound, row_anchor), where, message) for message in errors]
    links += [
        ErrorLink(row_anchor, prefix_label or _("This record"), message)
        for message in form.non_field_errors()
    ]
    return links
