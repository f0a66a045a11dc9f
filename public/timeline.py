"""A case told as a timeline: every dated event, in order, each with its sources."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.dates import PartialDate


@dataclass
class Event:
    when: PartialDate
    kind: str  # css class and icon: custody, charge, hearing, decision
    title: str
    detail: str = ""
    citations: list = field(default_factory=list)
    certainty: str = "reported"  # core.models.Certainty: shown beside the event when not

    @property
    def sort_key(self):
        order = {"custody": 0, "charge": 1, "hearing": 2, "decision": 3}
        return (self.when.earliest, order.get(self.kind, 9))


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
                _("%(person)s %(what)s")
                % {"person": person, "what": CUSTODY_STARTS.get(period.kind, period.kind)},
                period.note,
                period.visible_citations,
                period.certainty,
            )
        )
    for charge in case.visible_charges:
        if charge.filed is None:
            continue
        article = _(" (article %(n)s)") % {"n": charge.article.number} if charge.article else ""
        events.append(
            Event(
                charge.filed,
                "charge",
                _("%(person)s charged with “%(label)s”%(article)s")
                % {
                    "person": people.get(charge.defendant_id, ""),
                    "label": charge.label,
                    "article": article,
                },
                "",
                charge.visible_citations,
                charge.certainty,
            )
        )
    for hearing in case.visible_hearings:
        title = _("%(kind)s hearing") % {"kind": hearing.get_kind_display().capitalize()}
        if hearing.court:
            title += _(" at %(court)s") % {"court": hearing.court}
        if hearing.status != "held":
            title += f" ({hearing.get_status_display()})"
        if hearing.monitored:
            title += _(" — monitored")
        events.append(
            Event(
                hearing.when,
                "hearing",
                title,
                hearing.outcome,
                hearing.visible_citations,
                hearing.certainty,
            )
        )
    for decision in case.visible_decisions:
        court = decision.court or decision.get_court_level_display()
        title = _("%(person)s: %(decision)s (%(court)s)") % {
            "person": people.get(decision.defendant_id, ""),
            "decision": decision.get_kind_display(),
            "court": court,
        }
        detail = sentence(decision)
        if decision.summary:
            detail = f"{detail}. {decision.summary}" if detail else decision.summary
        events.append(
            Event(
                decision.when,
                "decision",
                title,
                detail,
                decision.visible_citations,
                decision.certainty,
            )
        )
    return sorted(events, key=lambda e: e.sort_key)
