"""Bulk export of everything a caller may see, streamed: memory stays flat however large the
dataset, because records are read and written in chunks of ids."""

import csv
import datetime

import orjson
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


# What orjson does not write itself is written as the standard library's encoder with
# DjangoJSONEncoder wrote it before (a Decimal, a lazy translation); datetimes, dates and
# dataclasses too, so a value the serializers leave unconverted keeps that encoder's format.
_ENCODER = DjangoJSONEncoder()
_OPTIONS = (
    orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
)


def dumps(item):
    """One record as JSON bytes."""
    return orjson.dumps(item, default=_ENCODER.default, option=_OPTIONS)


def stream_json(queryset, build, serialize):
    """``[`` + each record serialized + ``]``, as a generator of UTF-8 bytes, one record a
    part (written by orjson, several times faster than ``json.dumps``: exports are mostly
    writing JSON).

    ``build(ids)`` returns the records for a chunk of ids (with their prefetches);
    ``serialize(records)`` returns a list of dicts.
    """
    yield b"["
    separator = b""
    for ids in chunked_ids(queryset):
        for item in serialize(build(ids)):
            yield separator + dumps(item)
            separator = b",\n"
    yield b"]\n"


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
