"""Bulk export of everything a caller may see, streamed: memory stays flat however large the
dataset, because records are read and written in chunks of ids."""

import csv
import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder

from core.admin import neutralise_formula
from core.dates import utc_iso

CHUNK = 500


def chunked_ids(queryset, size=CHUNK):
    """The queryset's ids in ascending order, a chunk at a time (keyset, no OFFSET)."""
    last = 0
    while True:
        ids = list(queryset.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size])
        if not ids:
            return
        yield ids
        last = ids[-1]


def stream_json(queryset, build, serialize):
    """``[`` + each record serialized + ``]``, as a generator of text.

    ``build(ids)`` returns the records for a chunk of ids (with their prefetches);
    ``serialize(records)`` returns a list of dicts.
    """
    yield "["
    first = True
    for ids in chunked_ids(queryset):
        for item in serialize(build(ids)):
            yield ("" if first else ",\n") + json.dumps(
                item, cls=DjangoJSONEncoder, ensure_ascii=False
            )
            first = False
    yield "]\n"


class _Echo:
    def write(self, value):
        return value


def stream_csv(queryset, columns, build):
    """A header line, then one line per row; ``build(ids)`` yields dicts keyed by ``columns``.

    Cells a spreadsheet would run as formulas are neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow(columns)
    for ids in chunked_ids(queryset):
        for row in build(ids):
            yield writer.writerow([neutralise_formula(_cell(row.get(c))) for c in columns])


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):  # one clock: UTC with Z, as JSON writes it
        return utc_iso(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
