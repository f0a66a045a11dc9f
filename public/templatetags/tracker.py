from django import template
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from cases.selectors import paragraphs_by_source
from core.models import Certainty
from public.language import field_in_language
from public.timeline import article_name as timeline_article_name

register = template.Library()


@register.simple_tag(takes_context=True)
def facet_link(context, name, value):
    """The case list's URL with ``name=value`` added, or removed if it is already there."""
    request = context["request"]
    params = {k: request.GET.getlist(k) for k in request.GET if k != "page"}
    value = str(value)
    current = params.get(name, [])
    active = value in current
    if active:
        params[name] = [v for v in current if v != value]
    elif name in ("status",):  # filters that take several values
        params[name] = [*current, value]
    else:
        params[name] = [value]
    params = {k: v for k, v in params.items() if v}
    return {"url": "?" + urlencode(params, doseq=True), "active": active}


@register.simple_tag
def articles_of(charges):
    """The distinct article numbers of ``charges``, in order."""
    seen = []
    for charge in charges:
        number = charge.article.number if charge.article_id else None
        if number and number not in seen:
            seen.append(number)
    return seen


# What a reader is told about a value the sources do not state outright.
CERTAINTY_EXPLAINED = {
    Certainty.INFERRED: _("Worked out from what the sources say; no source states it."),
    Certainty.UNCONFIRMED: _("Not yet backed by a source the tracker can cite."),
}


@register.simple_tag
def certainty_note(value):
    """Words beside a value that is inferred or unconfirmed, e.g. "(inferred)", with their
    explanation; nothing for a value as reported. ``value`` is a record or a certainty."""
    certainty = getattr(value, "certainty", value)
    explanation = CERTAINTY_EXPLAINED.get(certainty)
    if explanation is None:
        return ""
    return format_html(
        ' <span class="certainty certainty-{}" title="{}">({}<span class="visually-hidden">: '
        "{}</span>)</span>",
        certainty,
        explanation,
        Certainty(certainty).label,
        explanation,
    )


@register.simple_tag
def paragraph_url(source, paragraph=""):
    """Where a reader opens ``paragraph`` of ``source`` (the document itself when
    ``paragraph`` is empty), or nothing when there is nowhere to open it. Every "para. N" and
    source title on the public pages links through this tag. A source with a public text
    document links to the paragraph in its text (/sources/<id>/text/#para-N,
    ``Source.paragraph_url``); any other to its own ``url``."""
    return source.paragraph_url(paragraph) or source.url or ""


@register.filter
def source_details(source):
    """What identifies a source beside its title, as a reader cites it: its document symbol,
    its publisher and its date at the precision it is known ("August 2024")."""
    return [str(value) for value in (source.symbol, source.publisher, source.partial_date) if value]


@register.inclusion_tag("public/_citations.html")
def citations(cited):
    """The sources of a fact (``cited``: its citations, or one record that names a ``source``
    and a ``paragraph`` itself, like a reported figure): each source once, with each paragraph
    cited once, in the order first cited."""
    if hasattr(cited, "source"):
        cited = [cited]
    return {"cited": list(paragraphs_by_source(cited or ()).items())}


@register.simple_tag
def in_language(record, field):
    """A record's translatable ``field`` in the reader's language, marked "English only" on
    Khmer pages where no Khmer text exists (public/language.py)."""
    return field_in_language(record, field)


@register.simple_tag
def article_name(article):
    """ "Criminal Code art. 494": an article told apart by law and number, since several
    articles share a title."""
    return timeline_article_name(article) if article else ""


@register.filter
def named_links(links):
    """The case-defendant links of named people: a list names them one by one."""
    return [link for link in links if link.defendant.name]


@register.filter
def unnamed_links(links):
    """The links of people the sources count but do not name: a list gives their number."""
    return [link for link in links if not link.defendant.name]
