"""Counts beside each filter value on the public case list, within the current filters and
through the visibility gate (a hidden charge never adds to an article's count)."""

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import CaseDefendant, CaseStatus, Charge, in_reader_language
from defendants.models import Category, CustodyPeriod
from hearings.models import Decision, Hearing


def case_facets(cases, viewer, today=None):
    """``cases`` is the filtered, visible queryset. Returns facet name -> [(value, label, n)]."""

    today = today or timezone.localdate()
    ids = cases.values("pk")
    status_labels = dict(CaseStatus.choices)
    facets = {}
    facets["status"] = [
        (value, status_labels.get(value, value), n)
        for value, n in cases.values_list("status").annotate(n=Count("id")).order_by("-n", "status")
    ]
    facets["article"] = [
        (number, f"{number} — {in_reader_language(title, title_km)}", n)
        for number, title, title_km, n in Charge.objects.visible_to(viewer)
        .filter(case__in=ids, article__isnull=False)
        .values_list("article__number", "article__title_en", "article__title_km")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n", "article__number_sort")
    ]
    facets["court"] = [
        (court_id, in_reader_language(name, name_km), n)
        for court_id, name, name_km, n in cases.filter(court__isnull=False)
        .values_list("court_id", "court__name_en", "court__name_km")
        .annotate(n=Count("id"))
        .order_by("-n", "court__name_en")
    ]
    # The filter's value stays the English name (shareable URLs); the label follows the reader.
    facets["province"] = [
        (name, in_reader_language(name, name_km), n)
        for name, name_km, n in cases.filter(court__province__isnull=False)
        .values_list("court__province__name_en", "court__province__name_km")
        .annotate(n=Count("id"))
        .order_by("-n", "court__province__name_en")
    ]
    category_labels = dict(Category.choices)
    facets["category"] = [
        (value, category_labels.get(value, value), n)
        for value, n in CaseDefendant.objects.visible_to(viewer)
        .filter(case__in=ids)
        .values_list("defendant__category")
        .annotate(n=Count("case_id", distinct=True))
        .order_by("-n")
    ]
    # (case, year) pairs of the three kinds of dated event, without duplicates (UNION), so
    # that a case with many hearings in a year counts once for it.
    # Counted by the database: the pairs themselves (tens of thousands) never reach Python.
    pairs = None
    for model, field in ((Charge, "date_filed"), (Hearing, "date"), (Decision, "date")):
        these = (
            model.objects.visible_to(viewer)
            .filter(case__in=ids, **{f"{field}__isnull": False})
            .annotate(year=ExtractYear(field))
            .values_list("case_id", "year")
            .order_by()
        )
        pairs = these if pairs is None else pairs.union(these)
    try:
        sql, params = pairs.query.sql_with_params()
    except EmptyResultSet:  # filters that can match nothing (say, an id out of range)
        years = []
    else:
        with connections[pairs.db].cursor() as cursor:
            cursor.execute(
                f"SELECT year, COUNT(*) FROM ({sql}) AS pairs GROUP BY year ORDER BY year DESC",
                params,
            )
            years = cursor.fetchall()
    facets["year"] = [(str(int(y)), str(int(y)), n) for y, n in years]
    detained = (
        CustodyPeriod.objects.visible_to(viewer)
        .running_on(today)
        .detention()
        .filter(case__in=ids)
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
