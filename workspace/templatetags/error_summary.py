"""The error summary at the top of an admin change form that failed to save: one link per
field with an error, on the record's own form and on each inline row (core/error_summary.py)."""

from django import template
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from core.error_summary import ErrorLink, form_error_links

register = template.Library()


@register.simple_tag
def error_links(adminform, inline_admin_formsets=()):
    """[ErrorLink] for the record's form and every inline row that has errors."""
    links = form_error_links(adminform.form, "", "#content-main") if adminform else []
    for inline in inline_admin_formsets or ():
        formset = inline.formset
        group = f"#{formset.prefix}-group"
        name = capfirst(inline.opts.verbose_name)
        for index, form in enumerate(formset.forms):
            if form.errors:
                row = _("%(record)s %(number)d") % {"record": name, "number": index + 1}
                links += form_error_links(form, row, f"#{formset.prefix}-{index}")
        links += [
            ErrorLink(group, capfirst(inline.opts.verbose_name_plural), message)
            for message in formset.non_form_errors()
        ]
    return links
