"""Counts beside each filter value on the public case list, within the current filters and
through the visibility gate (a hidden charge never adds to an article's count).

Counting each facet from the records, through the gate, on each request took most of the
page's time (0.6 s at 20,000 cases). So each case's values (its status and court, the articles
its charges cite, the kinds of people charged in it, the years something happened in it) are
kept in ``FacetValue`` rows with the lowest level that sees each, and ``FacetTotal`` keeps how
many rows hold each value at each level. The unfiltered list reads its counts from the totals;
a filtered one counts the rows of the cases it found, in one GROUP BY.

They stay right without a recount: every change to a case or to anything in it moves the
case's ``changed_monitors`` (core.models.ContainerModel), in the change's own transaction,
and before anything is counted ``refresh`` reads again the values of exactly the cases whose
column moved since their values were read (``FacetStamp``), and moves the totals by the
difference. No write path can forget it, and no reader counts values older than the records
it sees. "Someone detained now" depends on today and stays a live count."""

from collections import Counter

from django.db import connections, transaction
from django.db.models import Count, DateTimeField, Exists, F, OuterRef, Sum, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import (
    Article,
    Case,
    CaseDefendant,
    CaseStatus,
    Charge,
    Court,
    in_reader_language,
)
from core.sql import compiled, delete_rows, execute
from core.visibility import Visibility, level_for
from defendants.models import Category, CustodyPeriod
from hearings.models import Decision, Hearing
from public.models import FacetStamp, FacetTotal, FacetValue

# Cases whose values are read again per query; more stale cases than FULL and every case's
# values are read again at once (after a bulk load, say), without a list of ids.
CHUNK = 500
FULL = 2000
# Refreshing takes this advisory lock on PostgreSQL: two readers refreshing the same case at
# once would otherwise each delete the other's rows and insert their own.
LOCK = 19_0001


def value_pairs(level, cases=None):
    """{facet: queryset of (f_case, f_value)} for the cases ``cases`` (ids; None for every
    case), read through the visibility gate at ``level``: the values ``FacetValue`` keeps."""

    def pairs(records, value, case="case"):
        if cases is not None:
            records = records.filter(**{f"{case}__in": cases})
        return (
            records.annotate(f_case=F(case), f_value=value)
            .values_list("f_case", "f_value")
            .order_by()
        )

    visible_cases = Case.objects.visible_to(level)
    years = None
    # A case with many hearings in a year has that year once (UNION).
    for model, field in ((Charge, "date_filed"), (Hearing, "date"), (Decision, "date")):
        dated = model.objects.visible_to(level).filter(**{f"{field}__isnull": False})
        these = pairs(dated, ExtractYear(field))
        years = these if years is None else years.union(these)
    return {
        "status": pairs(visible_cases, F("status"), case="pk"),
        "court": pairs(visible_cases.filter(court__isnull=False), F("court_id"), case="pk"),
        "article": pairs(
            Charge.objects.visible_to(level).filter(article__isnull=False), F("article_id")
        ).distinct(),
        "category": pairs(
            CaseDefendant.objects.visible_to(level), F("defendant__category")
        ).distinct(),
        "year": years,
    }


def _stale():
    """(case id, changed_monitors) of the cases whose values are missing or out of date, and
    (case id, None) of the deleted cases whose values are still kept. One query."""
    current = FacetStamp.objects.filter(case=OuterRef("pk"), changed=OuterRef("changed_monitors"))
    changed = (
        Case._base_manager.exclude(Exists(current)).values_list("pk", "changed_monitors").order_by()
    )
    gone = (
        FacetStamp.objects.exclude(Exists(Case._base_manager.filter(pk=OuterRef("case_id"))))
        .annotate(never=Value(None, output_field=DateTimeField()))
        .values_list("case_id", "never")
        .order_by()
    )
    return list(changed.union(gone, all=True))


def _write(cases):
    """Insert the values of ``cases`` (ids; None for every case), each with the lowest level
    that sees it: the levels in ascending order, a value already written for a lower level
    left as it is. Five queries per level."""
    table = FacetValue._meta.db_table
    for level in Visibility:
        for facet, pairs in value_pairs(level, cases).items():
            parts = compiled(pairs)
            if parts is None:
                continue
            [(sql, params)] = parts
            # Years are numbers on PostgreSQL: integers first, so 2024 is "2024", not "2024.0".
            value = "CAST(f_value AS INTEGER)" if facet == "year" else "f_value"
            # (``WHERE 1 = 1`` tells SQLite that ON CONFLICT is not a join's ON.)
            execute(
                pairs,
                f"INSERT INTO {table} (case_id, facet, value, level) "
                f"SELECT DISTINCT f_case, %s, CAST({value} AS VARCHAR(40)), %s "
                f"FROM ({sql}) AS pairs WHERE 1 = 1 ON CONFLICT DO NOTHING",
                (facet, int(level), *params),
            )


def _tally(cases=None):
    """Counter of (facet, value, level) over the rows of ``cases`` (ids; None for all)."""
    rows = FacetValue.objects.all() if cases is None else FacetValue.objects.filter(case__in=cases)
    return Counter(
        {
            (facet, value, level): n
            for facet, value, level, n in rows.values_list("facet", "value", "level")
            .annotate(n=Count("pk"))
            .order_by()
        }
    )


def _move_totals(difference):
    """Add ``difference`` ({(facet, value, level): change}) to the totals, and drop those that
    reach 0. Three queries."""
    difference = {key: n for key, n in difference.items() if n}
    if not difference:
        return
    totals = Counter()
    for facet, value, level, cases in FacetTotal.objects.filter(
        facet__in={facet for facet, _value, _level in difference},
        value__in={value for _facet, value, _level in difference},
    ).values_list("facet", "value", "level", "cases"):
        totals[(facet, value, level)] = cases
    FacetTotal.objects.bulk_create(
        [
            FacetTotal(facet=facet, value=value, level=level, cases=max(0, totals[key] + n))
            for key, n in difference.items()
            for facet, value, level in [key]
        ],
        update_conflicts=True,
        unique_fields=["facet", "value", "level"],
        update_fields=["cases"],
        batch_size=CHUNK,
    )
    delete_rows(FacetTotal.objects.filter(cases=0))


def refresh():
    """Read again the facet values of every case that changed since they were read, and move
    the totals by the difference. One query when no case changed."""
    if not _stale():
        return
    with transaction.atomic():
        on_postgresql = connections[FacetValue.objects.db].vendor == "postgresql"
        if on_postgresql:
            with connections[FacetValue.objects.db].cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK])
        # Again, under the lock: another reader may have refreshed them meanwhile. The stamps
        # are read before the records, so a value is never older than its stamp says.
        stale = _stale()
        if len(stale) > FULL:
            delete_rows(FacetStamp.objects.all())
            delete_rows(FacetValue.objects.all())
            _write(None)
            delete_rows(FacetTotal.objects.all())
            FacetTotal.objects.bulk_create(
                [
                    FacetTotal(facet=facet, value=value, level=level, cases=n)
                    for (facet, value, level), n in _tally().items()
                ],
                batch_size=CHUNK,
            )
        else:
            ids = [pk for pk, _changed in stale]
            difference = Counter()
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                difference.subtract(_tally(chunk))
                delete_rows(FacetValue.objects.filter(case__in=chunk))
                _write(chunk)
                difference.update(_tally(chunk))
            _move_totals(difference)
        gone = [pk for pk, changed in stale if changed is None]
        if gone:
            delete_rows(FacetStamp.objects.filter(case__in=gone))
        FacetStamp.objects.bulk_create(
            [FacetStamp(case_id=pk, changed=changed) for pk, changed in stale if changed],
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=["changed"],
            batch_size=CHUNK,
        )
        if len(stale) > FULL and on_postgresql:
            # Just filled: without fresh statistics the planner would take them for empty.
            with connections[FacetValue.objects.db].cursor() as cursor:
                for model in (FacetValue, FacetTotal, FacetStamp):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")


def kept_counts(cases, viewer):
    """{facet: {value: number of cases}} over ``cases`` (a visible queryset), from the kept
    values, refreshed first. Two queries when no case changed."""
    refresh()
    rows = (
        FacetValue.objects.filter(level__lte=level_for(viewer), case__in=cases.values("pk"))
        .values_list("facet", "value")
        .annotate(n=Count("case_id"))
    )
    return _by_facet(rows)


def kept_totals(viewer):
    """{facet: {value: number of cases}} over every case ``viewer`` may see, from the kept
    totals, refreshed first. Two queries when no case changed."""
    refresh()
    rows = (
        FacetTotal.objects.filter(level__lte=level_for(viewer))
        .values_list("facet", "value")
        .annotate(n=Sum("cases"))
    )
    return _by_facet(rows)


def _by_facet(rows):
    counts = {}
    for facet, value, n in rows.order_by():
        counts.setdefault(facet, {})[value] = n
    return counts


def by_count(counts, key=lambda value: value):
    """``counts``' values, most cases first, then by ``key``."""
    return sorted(counts, key=lambda value: (-counts[value], key(value)))


def case_facets(cases, viewer, today=None, filtered=True):
    """``cases`` is the filtered, visible queryset (every case ``viewer`` may see when not
    ``filtered``). Returns facet name -> [(value, label, n)]."""

    today = today or timezone.localdate()
    kept = kept_counts(cases, viewer) if filtered else kept_totals(viewer)
    facets = {}
    statuses = kept.get("status", {})
    status_labels = dict(CaseStatus.choices)
    facets["status"] = [
        (value, status_labels.get(value, value), statuses[value]) for value in by_count(statuses)
    ]
    articles = kept.get("article", {})
    shown = {
        str(pk): (number, in_reader_language(title, title_km), sort)
        for pk, number, title, title_km, sort in Article.objects.filter(
            pk__in=[int(pk) for pk in articles]
        ).values_list("pk", "number", "title_en", "title_km", "number_sort")
    }
    facets["article"] = [
        (shown[pk][0], f"{shown[pk][0]} — {shown[pk][1]}", articles[pk])
        for pk in by_count(articles, key=lambda pk: shown[pk][2])
    ]
    courts = kept.get("court", {})
    places = {
        str(pk): row
        for pk, *row in Court.objects.filter(pk__in=[int(pk) for pk in courts]).values_list(
            "pk",
            "name_en",
            "name_km",
            "province__name_en",
            "province__name_km",
        )
    }
    facets["court"] = [
        (int(pk), in_reader_language(places[pk][0], places[pk][1]), courts[pk])
        for pk in by_count(courts, key=lambda pk: places[pk][0])
    ]
    # The filter's value stays the English name (shareable URLs); the label follows the reader.
    provinces, province_labels = Counter(), {}
    for pk, n in courts.items():
        _name, _name_km, province, province_km = places[pk]
        if province is not None:
            provinces[province] += n
            province_labels[province] = in_reader_language(province, province_km)
    facets["province"] = [
        (name, province_labels[name], provinces[name]) for name in by_count(provinces)
    ]
    categories = kept.get("category", {})
    category_labels = dict(Category.choices)
    facets["category"] = [
        (value, category_labels.get(value, value), categories[value])
        for value in by_count(categories)
    ]
    years = kept.get("year", {})
    facets["year"] = [(year, year, years[year]) for year in sorted(years, key=int, reverse=True)]
    detained = (
        CustodyPeriod.objects.visible_to(viewer)
        .running_on(today)
        .detention()
        .filter(case__in=cases.values("pk"))
        .values("case_id")
        .distinct()
        .count()
    )
    facets["in_detention"] = [("true", _("someone detained now"), detained)] if detained else []
    return facets


FACET_TITLES = {
    "status": _("Status"),
    "article": _("Article"),
    "court": _("Court"),
    "province": _("Province"),
    "category": _("Who"),
    "year": _("Year"),
    "in_detention": _("Detention"),
}
