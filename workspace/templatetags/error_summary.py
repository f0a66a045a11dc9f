"""The error summary at the top of an admin change form that failed to save: one link per
field with an error, on the record's own form and on each inline row, so a monitor (or a
screen reader) learns every problem at once and jumps to each field."""

from dataclasses import dataclass

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

register = template.Library()


@dataclass
class ErrorLink:
    href: str
    where: str
    message: str


def _form_errors(form, prefix_label, row_anchor):
    """The links for one form: its fields' errors, then its errors about no one field."""
    links = []
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            continue
        bound = form[name]
        label = capfirst(bound.label) if bound.label else name
        where = f"{prefix_label}: {label}" if prefix_label else label
        # A hidden field (the version a form loaded) has nothing to jump to: go to its row.
        href = f"#{bound.id_for_label}" if not bound.is_hidden else row_anchor
        links += [ErrorLink(href, where, message) for message in errors]
    links += [
        ErrorLink(row_anchor, prefix_label or _("This record"), message)
        for message in form.non_field_errors()
    ]
    return links


@register.simple_tag
def error_links(adminform, inline_admin_formsets=()):
    """[ErrorLink] for the record's form and every inline row that has errors."""
    links = _form_errors(adminform.form, "", "#content-main") if adminform else []
    for inline in inline_admin_formsets or ():
        formset = inline.formset
        group = f"#{formset.prefix}-group"
        name = capfirst(inline.opts.verbose_name)
        for index, form in enumerate(formset.forms):
            if form.errors:
                row = _("%(record)s %(number)d") % {"record": name, "number": index + 1}
                links += _form_errors(form, row, f"#{formset.prefix}-{index}")
        links += [
            ErrorLink(group, capfirst(inline.opts.verbose_name_plural), message)
            for message in formset.non_form_errors()
        ]
    return links
