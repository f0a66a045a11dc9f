"""How a reader cites a case: its permalink, when it last changed as the public sees it, and
the same reference as plain text, BibTeX and CSL-JSON (the format Zotero, Pandoc and
citeproc read).

The date of the last change is the case's ``changed_public`` (core.models.ContainerModel): it
moves when the case or anything public nested in it changes, never for a change only partners
or monitors can see, so the citation tells the public nothing about hidden records.
"""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# What BibTeX (and LaTeX after it) reads as commands or grouping, written as literal text.
BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def bibtex_escape(text):
    """``text`` as a BibTeX field value shows it, on one line."""
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in " ".join(str(text).split()))


def site_name():
    return _("Cambodia Trial Tracker")


@dataclass(frozen=True)
class CaseCitation:
    key: str
    title: str
    url: str
    last_updated: datetime.date
    accessed: datetime.date

    @property
    def last_updated_text(self):
        return _("Last updated %(date)s") % {"date": date_format(self.last_updated, "j F Y")}

    def plain_text(self):
        return _("“%(title)s”. %(site)s. %(updated)s. %(url)s (accessed %(accessed)s).") % {
            "title": self.title,
            "site": site_name(),
            "updated": self.last_updated_text,
            "url": self.url,
            "accessed": date_format(self.accessed, "j F Y"),
        }

    def bibtex(self):
        # The URL is the site's own (an allowed host and a numeric path): nothing in it is
        # special to BibTeX, and \url{} must keep it as it is to stay a working link.
        fields = [
            ("title", "{" + bibtex_escape(self.title) + "}"),  # braces keep its capitals
            ("author", "{" + bibtex_escape(site_name()) + "}"),  # an organisation, not a name
            ("howpublished", r"\url{" + self.url + "}"),
            ("url", self.url),
            ("year", str(self.last_updated.year)),
            ("note", bibtex_escape(self.last_updated_text)),
            ("urldate", self.accessed.isoformat()),
        ]
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{self.key},\n{body}\n}}\n"

    def csl_json(self):
        """A list of one CSL-JSON item, as reference managers import it."""
        item = {
            "id": self.key,
            "type": "webpage",
            "title": self.title,
            "author": [{"literal": site_name()}],
            "container-title": site_name(),
            "URL": self.url,
            "issued": date_parts(self.last_updated),
            "accessed": date_parts(self.accessed),
            "note": self.last_updated_text,
            "language": translation.get_language() or settings.LANGUAGE_CODE,
        }
        return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def date_parts(day):
    return {"date-parts": [[day.year, day.month, day.day]]}


def permalink(case, request):
    """The case page's address in the site's default language: the same for every reader,
    whichever language they read it in."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("case-detail", args=[case.pk]))


def cite_case(case, request):
    """How to cite ``case`` (a case the public may see) today."""
    return CaseCitation(
        key=f"cambodia-trial-tracker-case-{case.pk}",
        title=case.title,
        url=permalink(case, request),
        last_updated=timezone.localdate(case.changed_public),
        accessed=timezone.localdate(),
    )
