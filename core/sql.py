"""Raw SQL built around querysets, for the few figures the ORM cannot say in one query (a
window over detention spans, a count of distinct pairs, a reduction before a join, an
``INSERT … SELECT``).

The querysets still go through the visibility gate; only the SQL around them is written by
hand. ``compiled`` gives each queryset's SQL and parameters, or None when Django knows one of
them can match nothing (compiling, say, ``pk__in=[]`` raises ``EmptyResultSet``): the caller
then answers "nothing", never a 500. ``fetch`` and ``execute`` run the wrapped SQL on the
querysets' own database."""

from django.core.exceptions import EmptyResultSet
from django.db import connections


def compiled(*querysets):
    """``[(sql, params)]``, one per queryset, or None if any of them can match nothing."""
    try:
        return [queryset.query.sql_with_params() for queryset in querysets]
    except EmptyResultSet:
        return None


def fetch(queryset, sql, params):
    """Every row ``sql`` returns, run on ``queryset``'s database."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def execute(queryset, sql, params):
    """Run ``sql`` (a write) on ``queryset``'s database; the number of rows it touched."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def delete_rows(queryset):
    """Delete ``queryset``'s rows in one ``DELETE``, without fetching them first and without
    delete signals: for derived tables only (public/facets.py), never for records, whose
    history and change feed come from those signals (exchange/changes.py)."""
    return queryset._raw_delete(queryset.db)
