"""Figures for the home and statistics pages, computed for one viewer level through the
visibility gate. Each chart is a list of (label, value) rows: the same rows feed the chart, its
data table and its CSV download."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Article, Case, CaseStatus, ReportedFigure
from defendants.detention import people_by_days_held
from defendants.models import CustodyPeriod
from documents.models import public_text_exists
from fairtrial.indicators import indicators_by_dimension, right_indicators
from hearings.models import Decision, DecisionKind, Hearing, HearingStatus
from public.facets import kept_totals


@dataclass
class Chart:
    slug: str
    title: str
    label_heading: str
    value_heading: str
    rows: list  # [(label, value)]
    kind: str = "bar"
    # What each figure rests on (e.g. the number of hearings behind a share), one per row;
    # shown as a third column of the data table and the CSV.
    basis_heading: str = ""
    basis: list = field(default_factory=list)

    @property
    def data_id(self):
        return f"{self.slug}-data"

    @property
    def table(self):
        """(label, value, basis) per row; basis is None for a chart without one."""
        basis = self.basis or [None] * len(self.rows)
        return [(label, value, n) for (label, value), n in zip(self.rows, basis, strict=True)]

    def csv_rows(self):
        """The headings, then one row per label: what the CSV download holds."""
        basis = [self.basis_heading] if self.basis_heading else []
        yield [self.label_heading, self.value_heading, *basis]
        for label, value, n in self.table:
            yield [label, value, *([n] if basis else [])]


@dataclass
class IndicatorTable:
    """The fair-trial indicators of each right for each court, article or year: a table with
    a row per value and a column per right (``breakdown``, fairtrial/indicators.py), and a CSV
    with a row per value and right."""

    slug: str
    title: str
    label_heading: str
    breakdown: object

    @property
    def rights(self):
        return list(self.breakdown.rights.values())

    @property
    def table(self):
        return self.breakdown.table

    def csv_rows(self):
        yield [
            self.label_heading,
            _("Right"),
            _("Hearings observed"),
            _("Violated or partly respected"),
            _("Violated (%)"),
            _("Respected"),
            _("Respected (%)"),
        ]
        for label, cells in self.table:
            for cell in cells:
                if cell is not None:
                    yield [
                        label,
                        cell.label,
                        cell.hearings,
                        cell.violated,
                        cell.violated_percent,
                        cell.respected,
                        cell.respected_percent,
                    ]


def reported_figures(viewer):
    """Figures the sources report (e.g. hearings monitored in a period), with their citation."""

    return (
        ReportedFigure.objects.visible_to(viewer)
        .select_related("source")
        .annotate(source_has_public_text=public_text_exists())
        .order_by("pk")
    )


def headline_figures(viewer, today=None):
    today = today or timezone.localdate()
    by_status = dict(
        Case.objects.visible_to(viewer).values_list("status").annotate(n=Count("id")).order_by()
    )
    periods = CustodyPeriod.objects.visible_to(viewer).detention()
    held_now = periods.running_on(today).values("defendant_id")
    return {
        # Confirmed within the currency window (core/currency.py): "now" is said of nobody else.
        "detained_now": held_now.distinct().count(),
        # Last reported in detention by a source older than that: the sources say no more.
        "detained_as_last_reported": periods.open_as_last_reported(today)
        .exclude(defendant_id__in=held_now)
        .values("defendant_id")
        .distinct()
        .count(),
        "cases_by_status": [
            (label, by_status[value]) for value, label in CaseStatus.choices if value in by_status
        ],
        "cases_total": sum(by_status.values()),
        "hearings_monitored": Hearing.objects.visible_to(viewer).filter(monitored=True).count(),
        "decisions_last_year": Decision.objects.visible_to(viewer)
        .filter(date__gt=today - datetime.timedelta(days=365), date__lte=today)
        .count(),
    }


def cases_per_article(viewer, limit=20):
    """The ``limit`` articles charged in the most cases ``viewer`` may see, from the case
    list's kept totals (public/facets.py): no charge is counted on the request."""
    counts = kept_totals(viewer).get("article", {})
    articles = sorted(
        Article.objects.filter(pk__in=[int(pk) for pk in counts]).values_list(
            "pk", "number", "number_sort", "law__short_name", "law__title_en"
        ),
        key=lambda row: (-counts[str(row[0])], row[2]),
    )[:limit]
    return Chart(
        "cases-per-article",
        _("Cases per article charged"),
        _("Article"),
        _("Cases"),
        [
            (
                _("%(law)s art. %(number)s") % {"law": short or title, "number": number},
                counts[str(pk)],
            )
            for pk, number, _sort, short, title in articles
        ],
    )


def outcomes(viewer):
    counts = dict(
        Decision.objects.visible_to(viewer).values_list("kind").annotate(n=Count("id")).order_by()
    )
    return Chart(
        "outcomes",
        _("Decisions by outcome"),
        _("Decision"),
        _("Decisions"),
        [(str(label), counts[value]) for value, label in DecisionKind.choices if value in counts],
    )


DURATION_BUCKETS = [
    (30, _("under 1 month")),
    (182, _("1 to 6 months")),
    (365, _("6 to 12 months")),
    (730, _("1 to 2 years")),
    (None, _("over 2 years")),
]


def detention_durations(viewer, today=None):
    """People by total days in detention, counting only records the viewer sees: an open period
    counts to its last confirmation, not to today (core/currency.py)."""

    today = today or timezone.localdate()
    counts = people_by_days_held(
        CustodyPeriod.objects.visible_to(viewer),
        today,
        [limit for limit, _label in DURATION_BUCKETS],
    )
    return Chart(
        "detention-durations",
        _("People by time spent in detention"),
        _("Time in detention"),
        _("People"),
        [(str(label), n) for (_limit, label), n in zip(DURATION_BUCKETS, counts, strict=True)],
    )


def events_per_month(viewer, today=None):
    """Hearings held and decisions taken per month, up to today. A hearing still scheduled is
    not counted (nor one postponed or cancelled): a month counts what happened in it, and the
    calendar of upcoming hearings lists what is to come."""
    today = today or timezone.localdate()
    months = Counter()
    happened = {
        Hearing: Hearing.objects.visible_to(viewer).filter(status=HearingStatus.HELD),
        Decision: Decision.objects.visible_to(viewer),
    }
    for records in happened.values():
        rows = (
            records.filter(date__lte=today)
            .exclude(date_precision="year")
            .annotate(month=TruncMonth("date"))
            .values_list("month")
            .annotate(n=Count("id"))
            .order_by()
        )
        for month, n in rows:
            months[month] += n
    # Every month from the first to the last, quiet ones as 0: the columns are spaced evenly,
    # so a missing month would read as the next one.
    every_month = []
    month = min(months, default=None)
    while month is not None and month <= max(months):
        every_month.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return Chart(
        "events-per-month",
        _("Hearings held and decisions per month"),
        _("Month"),
        _("Hearings held and decisions"),
        [(month.strftime("%Y-%m"), months[month]) for month in every_month],
        kind="months",
    )


def fair_trial_violations(viewer):
    """Per right of the fair-trial checklist, the share of hearings where it was observed and
    found violated (or partly respected), with the number of those hearings."""
    indicators = right_indicators(viewer)
    return Chart(
        "fair-trial-violations",
        _("Fair-trial rights violated at monitored hearings"),
        _("Right"),
        _("Hearings where it was violated (%)"),
        [(indicator.label, indicator.violated_percent) for indicator in indicators],
        basis_heading=_("Hearings observed"),
        basis=[indicator.hearings for indicator in indicators],
    )


INDICATOR_TABLES = {
    "court": ("fair-trial-by-court", _("Fair-trial rights by court"), _("Court")),
    "article": (
        "fair-trial-by-article",
        _("Fair-trial rights by article charged"),
        _("Article charged"),
    ),
    "year": ("fair-trial-by-year", _("Fair-trial rights by year of the hearing"), _("Year")),
}


def fair_trial_tables(viewer):
    """The fair-trial indicators per court, per article charged in the case and per year of the
    hearing, each figure with the hearings behind it. Four queries."""
    breakdowns = indicators_by_dimension(viewer)
    return [
        IndicatorTable(slug, title, heading, breakdowns[dimension])
        for dimension, (slug, title, heading) in INDICATOR_TABLES.items()
    ]


def all_charts(viewer):
    return [
        cases_per_article(viewer),
        outcomes(viewer),
        detention_durations(viewer),
        events_per_month(viewer),
        fair_trial_violations(viewer),
    ]
