"""Content typed by monitors, shown in the reader's language: the Khmer value on Khmer pages
where there is one; else the English, marked ``lang="en"`` and, on Khmer pages, with an
"English only" badge saying that no Khmer text exists yet. Gettext cannot translate data, so
this module is the one place that chooses (the ``in_language`` tag and the timeline use it)."""

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from cases.models import reads_khmer

ENGLISH_ONLY_EXPLAINED = _("no Khmer text has been recorded for this yet")


def in_language(english, khmer=""):
    """HTML for a translatable value: ``english`` and its ``khmer`` text (empty if none)."""
    english, khmer = str(english or ""), str(khmer or "")
    if not reads_khmer():
        return conditional_escape(english)
    if khmer:
        return format_html('<span lang="km">{}</span>', khmer)
    if not english:
        return ""
    return format_html(
        '<span lang="en">{}</span> <span class="english-only" title="{}">{}'
        '<span class="visually-hidden">: {}</span></span>',
        english,
        ENGLISH_ONLY_EXPLAINED,
        _("English only"),
        ENGLISH_ONLY_EXPLAINED,
    )


def field_in_language(record, field):
    """A record's translatable ``field`` as HTML: ``title`` reads ``title_en`` (or ``title``
    itself where the English value has no suffix) and ``title_km`` (where the model has one)."""
    if record is None:
        return ""
    english = getattr(record, f"{field}_en", None)
    if english is None:
        english = getattr(record, field, "")
    return in_language(english, getattr(record, f"{field}_km", ""))


def interpolate(template, values):
    """``template % values`` as HTML: the translated template and every value escaped, except
    values that are HTML already (made by ``in_language``)."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(template) % escaped)
