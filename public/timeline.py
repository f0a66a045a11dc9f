"""A case told as a timeline: every dated event, in order, each with its sources. The same
thing happening to several co-defendants on the same day is one event naming them all."""

from dataclasses import dataclass, field

from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.dates import PartialDate
from public.language import field_in_language, in_language, interpolate

# Where the people an event is about go in its title (a character no text typed holds):
# filled in once the events are grouped, so titles are compared without their names.
PERSON = "\ue000"


@dataclass
class Event:
    when: PartialDate
    kind: str  # css class and icon: custody, charge, hearing, decision
    # The title as HTML, with PERSON where the people it concerns are named. Title and detail
    # carry monitors' text (courts, labels, notes) marked "English only" on Khmer pages.
    template: str
    detail: str = ""
    citations: list = field(default_factory=list)
    certainty: str = "reported"  # core.models.Certainty: shown beside the event when not
    people: list = field(default_factory=list)  # the defendants it concerns, in case order

    @property
    def sort_key(self):
        order = {"custody": 0, "charge": 1, "hearing": 2, "decision": 3}
        return (self.when.earliest, order.get(self.kind, 9))

    @property
    def group_key(self):
        """What two events share when they are the same thing happening to different people."""
        return (
            self.kind,
            self.when.earliest,
            self.when.isoformat(),
            self.template,
            self.detail,
            self.certainty,
        )

    @property
    def title(self):
        return mark_safe(
            self.template.replace(PERSON, conditional_escape(people_phrase(self.people)))
        )

    @property
    def named(self):
        return [person for person in self.people if person.name]

    @property
    def unnamed_count(self):
        return len(self.people) - len(self.named)


def people_phrase(people):
    """Who an event concerns, short: the one person; "Chhim Sithar and 8 others" (the first
    named person and a count); or "3 unnamed defendants"."""
    if len(people) == 1:
        return str(people[0])
    named = [person for person in people if person.name]
    if not named:
        return ngettext("%(n)d unnamed defendant", "%(n)d unnamed defendants", len(people)) % {
            "n": len(people)
        }
    others = len(people) - 1
    return ngettext("%(first)s and %(n)d other", "%(first)s and %(n)d others", others) % {
        "first": named[0],
        "n": others,
    }


def distinct_citations(citations):
    """``citations`` without repeats of the same source and paragraph, in order."""
    seen = set()
    kept = []
    for citation in citations:
        key = (citation.source_id, citation.paragraph)
        if key not in seen:
            seen.add(key)
            kept.append(citation)
    return kept


def grouped(events):
    """One event per thing that happened: events alike but for the people they concern
    become one, naming them all (their citations merged)."""
    groups = {}
    for event in events:
        group = groups.get(event.group_key)
        if group is None:
            groups[event.group_key] = event
            continue
        group.people = [*group.people, *(p for p in event.people if p not in group.people)]
        group.citations = distinct_citations([*group.citations, *event.citations])
    return list(groups.values())


def format_months(months):
    """A prison term in years and months: "4 years and 6 months"."""
    if months is None:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(n)d year", "%(n)d years", years) % {"n": years})
    if rest or not years:
        parts.append(ngettext("%(n)d month", "%(n)d months", rest) % {"n": rest})
    return _(" and ").join(parts)


def sentence(decision):
    """What a decision imposed, in words."""
    bits = []
    if decision.prison_months:
        bits.append(_("%(term)s in prison") % {"term": format_months(decision.prison_months)})
    if decision.suspended_months:
        bits.append(_("%(term)s suspended") % {"term": format_months(decision.suspended_months)})
    if decision.fined:
        bits.append(
            _("a fine of %(amount)s riel") % {"amount": f"{decision.fine_riel:,}"}
            if decision.fine_riel
            else _("a fine")
        )
    if decision.compensation_ordered:
        to = decision.compensation_to
        bits.append(_("compensation to %(to)s") % {"to": to} if to else _("compensation"))
    if decision.political_rights_ban_years:
        years = decision.political_rights_ban_years
        bits.append(
            ngettext(
                "a %(n)d-year ban on voting and standing for election",
                "a %(n)d-year ban on voting and standing for election",
                years,
            )
            % {"n": years}
        )
    if decision.in_absentia:
        bits.append(_("in absentia"))
    return "; ".join(bits)


CUSTODY_STARTS = {
    "arrest": gettext_lazy("arrested"),
    "police_custody": gettext_lazy("arrested"),
    "pretrial_detention": gettext_lazy("placed in pretrial detention"),
    "bail": gettext_lazy("released on bail"),
    "house_arrest": gettext_lazy("placed under house arrest"),
    "imprisonment": gettext_lazy("imprisoned"),
    "released": gettext_lazy("released"),
}


def case_timeline(case):
    """Events of ``case`` from its prefetched, visibility-filtered records (see
    ``public.views.cases.public_case``)."""
    people = {link.defendant_id: link.defendant for link in case.visible_parties}
    events = []
    for period in case.visible_custody_periods:
        person = people.get(period.defendant_id)
        if person is None:
            continue
        events.append(
            Event(
                period.start_partial,
                "custody",
                interpolate(
                    _("%(person)s %(what)s"),
                    {"person": PERSON, "what": CUSTODY_STARTS.get(period.kind, period.kind)},
                ),
                in_language(period.note),
                period.visible_citations,
                period.certainty,
                [person],
            )
        )
    for charge in case.visible_charges:
        if charge.filed is None:
            continue
        person = people.get(charge.defendant_id)
        events.append(
            Event(
                charge.filed,
                "charge",
                interpolate(
                    _("%(person)s charged with “%(label)s”%(article)s"),
                    {
                        "person": PERSON if person else "",
                        "label": in_language(charge.label),
                        "article": f" ({article_name(charge.article)})" if charge.article else "",
                    },
                ),
                "",
                charge.visible_citations,
                charge.certainty,
                [person] if person else [],
            )
        )
    for hearing in case.visible_hearings:
        title = interpolate(
            _("%(kind)s hearing"), {"kind": hearing.get_kind_display().capitalize()}
        )
        if hearing.court:
            title += interpolate(
                _(" at %(court)s"), {"court": field_in_language(hearing.court, "name")}
            )
        if hearing.status != "held":
            title += conditional_escape(f" ({hearing.get_status_display()})")
        if hearing.monitored:
            title += conditional_escape(_(" — monitored"))
        events.append(
            Event(
                hearing.when,
                "hearing",
                title,
                in_language(hearing.outcome),
                hearing.visible_citations,
                hearing.certainty,
            )
        )
    for decision in case.visible_decisions:
        if decision.court:
            court = field_in_language(decision.court, "name")
        else:
            court = decision.get_court_level_display()
        person = people.get(decision.defendant_id)
        title = interpolate(
            _("%(person)s: %(decision)s (%(court)s)"),
            {
                "person": PERSON if person else "",
                "decision": decision.get_kind_display(),
                "court": court,
            },
        )
        detail = conditional_escape(sentence(decision))
        if decision.summary:
            summary = in_language(decision.summary)
            detail = (
                interpolate("%(sentence)s. %(summary)s", {"sentence": detail, "summary": summary})
                if detail
                else summary
            )
        events.append(
            Event(
                decision.when,
                "decision",
                title,
                detail,
                decision.visible_citations,
                decision.certainty,
                [person] if person else [],
            )
        )
    events = grouped(events)
    order = {defendant_id: index for index, defendant_id in enumerate(people)}
    for event in events:
        event.people.sort(key=lambda person: order[person.pk])
    return sorted(events, key=lambda e: e.sort_key)


def article_name(article):
    """An article told apart from its neighbours by law and number ("Criminal Code art. 494"):
    several articles share a title."""
    return _("%(law)s art. %(number)s") % {
        "law": article.law.short_name or article.law,
        "number": article.number,
    }


@dataclass
class ChargeRow:
    """Charges alike but for the person charged (the same label, article and status): one
    row of the case page's charges table, naming everyone."""

    charge: object  # the first of them: what they share
    people: list = field(default_factory=list)
    citations: list = field(default_factory=list)

    @property
    def people_phrase(self):
        return people_phrase(self.people)

    @property
    def named(self):
        return [person for person in self.people if person.name]

    @property
    def unnamed_count(self):
        return len(self.people) - len(self.named)


def charge_rows(case):
    """The case's prefetched public charges, those alike grouped, in case order of people."""
    people = {link.defendant_id: link.defendant for link in case.visible_parties}
    rows = {}
    for charge in case.visible_charges:
        key = (
            charge.label,
            charge.article_id,
            charge.article_as_cited,
            charge.status,
            charge.certainty,
        )
        row = rows.setdefault(key, ChargeRow(charge))
        person = people.get(charge.defendant_id)
        if person is not None and person not in row.people:
            row.people.append(person)
        row.citations = distinct_citations([*row.citations, *charge.visible_citations])
    return list(rows.values())


def parties(case):
    """The case's public defendants: (links of the named, links of the unnamed). A page lists
    the named and counts the unnamed: the sources tell them apart by a description only."""
    named = [link for link in case.visible_parties if link.defendant.name]
    unnamed = [link for link in case.visible_parties if not link.defendant.name]
    return named, unnamed
