"""The pretrial-detention clock: for everyone held before trial, days held and the legal limit.

The limit comes from a ``DetentionRule`` (stored as data, with its source) for the offence
class of the most serious pending charge in the case; recorded extensions (decisions of kind
"pretrial detention extended") lengthen it as the rule allows. Dates are Phnom Penh dates.
"""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cases.models import OFFENCE_SERIOUSNESS, Charge, ChargeStatus, OffenceClass
from core import currency
from defendants.models import CustodyKind, CustodyPeriod, DetentionRule
from hearings.models import Decision, DecisionKind


def add_months(day, months):
    """``day`` plus a (possibly fractional) number of months; a fraction counts 30 days a month."""
    whole = int(months)
    fraction = Decimal(str(months)) - whole
    month_index = day.month - 1 + whole
    year, month = day.year + month_index // 12, month_index % 12 + 1
    result = day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
    return result + datetime.timedelta(days=int(fraction * 30))


@dataclass
class ClockEntry:
    period: CustodyPeriod
    days_held: int
    offence_class: str
    charge: Charge | None
    rule: DetentionRule | None
    extensions: int
    limit_months: Decimal | None
    limit_date: datetime.date | None
    days_left: int | None

    @property
    def defendant(self):
        return self.period.defendant

    @property
    def case(self):
        return self.period.case

    @property
    def status(self):
        if self.charge is None:
            return "no pending charge"  # convicted or dropped: the custody record needs updating
        if self.limit_date is None:
            return "unknown"
        if self.days_left < 0:
            return "exceeded"
        return "running"


def limit_for(rule, start, extensions, minimum_sentence_months=None):
    """(months, limit date) under ``rule`` for detention that began on ``start``."""
    months = Decimal(
        rule.base_months + min(extensions, rule.max_extensions) * rule.extension_months
    )
    if rule.max_total_months is not None:
        months = min(months, Decimal(rule.max_total_months))
    if rule.max_fraction_of_minimum_sentence is not None and minimum_sentence_months:
        months = min(months, rule.max_fraction_of_minimum_sentence * minimum_sentence_months)
    return months, add_months(start, months)


def seriousness(charge):
    """Sort key for "the most serious charge": the offence class, then, within a class, the
    heavier minimum sentence (for a misdemeanour it decides how long detention may last)."""
    article = charge.article
    if article is None:
        return (OFFENCE_SERIOUSNESS[OffenceClass.UNKNOWN], 0)
    return (OFFENCE_SERIOUSNESS[article.offence_class], article.penalty_min_months or 0)


# The columns the clock and its readers use (the dashboard's table, filters and sorts, the
# nightly alerts): over tens of thousands of people, loading whole people, cases and charges
# cost more than the query. Reading another field of these records from an entry costs a
# query per entry: add it here.
PERIOD_COLUMNS = (
    "defendant_id",
    "case_id",
    "kind",
    "start",
    "start_precision",
    "end",
    "end_precision",
    "last_confirmed",
    "defendant__name",
    "defendant__description",
    "case__court__name_en",
    "case__court__name_km",
    "case__court__province_id",
)
CHARGE_COLUMNS = (
    "defendant_id",
    "case_id",
    "article__offence_class",
    "article__penalty_min_months",
)


def pretrial_clock(as_of=None):
    """A ClockEntry for every pretrial detention running on ``as_of`` (default: today): open
    periods only while a current source confirms them (core/currency.py); the dashboard's
    stale queue lists the others.

    Reads in bulk: four queries whatever the number of people held.
    """

    as_of = as_of or timezone.localdate()
    periods = list(
        CustodyPeriod.objects.running_on(as_of)
        .filter(kind=CustodyKind.PRETRIAL_DETENTION)
        .select_related("defendant", "case__court")
        .only(*PERIOD_COLUMNS)
        .order_by("start", "pk")
    )
    pairs = {(p.defendant_id, p.case_id) for p in periods}
    people = {d for d, _ in pairs}
    charges = defaultdict(list)
    for charge in (
        Charge.objects.filter(defendant_id__in=people, status=ChargeStatus.PENDING)
        .select_related("article")
        .only(*CHARGE_COLUMNS)
        .order_by("pk")
    ):
        charges[(charge.defendant_id, charge.case_id)].append(charge)
    extensions = defaultdict(list)
    for decision in Decision.objects.filter(
        defendant_id__in=people, kind=DecisionKind.DETENTION_EXTENDED
    ).only("defendant_id", "case_id", "date"):
        extensions[(decision.defendant_id, decision.case_id)].append(decision.date)
    rules = {
        rule.offence_class: rule
        for rule in DetentionRule.objects.filter(is_active=True, for_minors=False)
    }

    entries = []
    for period in periods:
        key = (period.defendant_id, period.case_id)
        charge = max(charges.get(key, []), key=seriousness, default=None)
        offence_class = (
            charge.article.offence_class if charge and charge.article else OffenceClass.UNKNOWN
        )
        rule = rules.get(offence_class) if charge is not None else None
        extended = sum(1 for day in extensions.get(key, []) if day >= period.start)
        # An open period counts to its last confirmation, never silently to today.
        held_to = (
            as_of if period.end else currency.counted_to(period.start, period.last_confirmed, as_of)
        )
        days_held = (held_to - period.start).days
        if rule is None:
            entries.append(
                ClockEntry(
                    period, days_held, offence_class, charge, None, extended, None, None, None
                )
            )
            continue
        minimum = charge.article.penalty_min_months if charge and charge.article else None
        months, limit_date = limit_for(rule, period.start, extended, minimum)
        entries.append(
            ClockEntry(
                period,
                days_held,
                offence_class,
                charge,
                rule,
                extended,
                months,
                limit_date,
                (limit_date - as_of).days,
            )
        )
    return entries
