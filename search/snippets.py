"""Snippets: a short stretch of a record's text around the first word searched for, HTML-escaped
first and only then with each searched word wrapped in ``<mark>``. The texts given are the
record's searched fields, each of which everyone who may see the record may read
(search/providers.py), so a snippet shows nothing its reader may not see."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 160  # characters of text around the first match


def word_pattern(words):
    """One pattern matching any of ``words``, case-insensitive, longest first."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None


def snippet(texts, words, width=WIDTH):
    """Safe HTML: the stretch of the first text in which a word occurs, the words marked; the
    start of the first non-empty text when none occurs (a name matched by its likeness)."""
    pattern = word_pattern(words)
    texts = [" ".join(t.split()) for t in texts if t and t.strip()]
    if not texts:
        return mark_safe("")
    for text in texts:
        found = pattern.search(text) if pattern else None
        if found:
            break
    else:
        text, found = texts[0], None
    start = 0
    if found and found.start() > width // 3:
        start = found.start() - width // 3
        # Begin at a word: the first space after the cut, if one comes soon.
        space = text.find(" ", start, found.start())
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", max(start, (found.end() if found else start)), end)
        end = space if space > start else end
    window = text[start:end]
    html = []
    position = 0
    for match in pattern.finditer(window) if pattern else ():
        html.append(escape(window[position : match.start()]))
        html.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    html.append(escape(window[position:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(html) + suffix)
