"""Cached reads that are never stale, and that a change ends only for those who can see it.

Some answers cost far more to compute than to keep: the statistics page counts every case,
charge, decision and day in detention; a page of the API's case list reads a thousand nested
records. They are kept in the cache under a key that includes a **change counter** of the
caller's visibility level: numbers in the database (``ChangeCounter``, one row per level)
that grow after every committed change that level can see. A public change moves the public,
partners' and monitors' counters; a change only monitors see (a review note, a confidential
hearing) moves only the monitors' one, so the public's cached pages stay warm. Old entries
simply expire. Because the counters live in the database, this holds across every web
process and server, whatever the cache backend.

- The change feed (exchange/changes.py) knows, for each change it logs, the lowest level that
  sees it; it reports it with ``changed_from(level)``. Every other change to a registered
  record type (core/registry.py; the models an app marks internal move nothing) that the
  feed does not log (reference data, many-to-many tables of types not synced, fixtures) moves
  every counter (``bump()``), and so do the bulk loaders (``generate_synthetic``), documents'
  text extraction and migrations, which write without signals: when the level is not known,
  every level's answers end.
- A cached answer about one record (``remembered_record``: the API's case detail) is keyed on
  the record's own "changed" time for the caller's level (core.models.ContainerModel, moved by
  the feed when the record or anything it nests changes for that level) and on the **bulk
  counter**, which only ``bump()`` moves: an edit to one case leaves the other cases' answers
  warm, and data written past the feed ends them all.
- Counters move when the transaction commits: a reader never caches data under a counter
  value that a committed change has already passed, and a rolled-back change moves nothing.
- ``READ_CACHE_SECONDS`` (setting) bounds how long an entry lives; 0 turns caching off (the
  benchmark uses it to measure the code itself). A cache that is down is skipped, not fatal.
- ``stats()`` counts the hits and misses of this process, per cached read (the benchmark's
  hit rate after an edit).
"""

import hashlib
import logging
from collections import Counter
from functools import partial

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F, Max

from core import registry
from core.visibility import Visibility

log = logging.getLogger(__name__)

COUNTER_MODEL = "cases.ChangeCounter"

# The counter rows: one per level, and the bulk counter. Row 1 was the single counter that
# every change moved; it is the monitors' now, who see every change, so it goes on growing
# as before and is always the highest.
ROWS = {Visibility.MONITORS: 1, Visibility.PARTNERS: 2, Visibility.PUBLIC: 3}
BULK = 4  # moved by bump() alone: data written past the change feed (per-record keys)
EVERY_ROW = (*ROWS.values(), BULK)

_stats = Counter()


def counter_model():
    """The counter's model. It stays in ``cases`` where it was first created (models do not
    move: its table is ``cases_changecounter``), so the kernel names it instead of importing it."""
    return apps.get_model(COUNTER_MODEL)


def _value(row):
    ChangeCounter = counter_model()
    return ChangeCounter.objects.filter(pk=row).values_list("value", flat=True).first() or 0


def counter(level=None):
    """The change counter of ``level`` (0 before its first change); without a level, the
    highest of all (the monitors', which every change moves)."""
    if level is None:
        ChangeCounter = counter_model()
        return ChangeCounter.objects.aggregate(highest=Max("value"))["highest"] or 0
    return _value(ROWS[Visibility(level)])


def bulk_counter():
    """How many times data was written past the change feed (``bump()``)."""
    return _value(BULK)


def _move(rows):
    """Add one to each counter row of ``rows``, creating the missing ones."""
    ChangeCounter = counter_model()
    rows = sorted(set(rows))
    with transaction.atomic():
        # Locked in one order, by id: two commits moving some of the same rows wait for each
        # other instead of deadlocking (a failed move would leave stale answers current).
        existing = list(
            ChangeCounter.objects.select_for_update()
            .filter(pk__in=rows)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ChangeCounter.objects.filter(pk__in=existing).update(value=F("value") + 1)
    for row in rows:
        if row in existing:
            continue
        try:
            with transaction.atomic():
                ChangeCounter.objects.create(pk=row, value=1)
        except IntegrityError:  # another process created it first
            ChangeCounter.objects.filter(pk=row).update(value=F("value") + 1)


def levels_from(lowest):
    """The levels that see a change seen from ``lowest`` up (every level if unknown)."""
    lowest = min(int(lowest), int(Visibility.MONITORS))  # seen by nobody: monitors anyway
    return [level for level in ROWS if level >= lowest]


def bump():
    """Move every counter on, the bulk counter too: every cached answer is stale from now on.
    For changes whose level is not known (bulk loaders, migrations, restores)."""
    _move(EVERY_ROW)


def bump_level(lowest):
    """Move the counters of the levels from ``lowest`` up: their cached lists and figures are
    stale from now on. The per-record answers follow the record's own "changed" time."""
    _move(ROWS[level] for level in levels_from(lowest))


def bump_past(value):
    """Move every counter beyond ``value`` (an earlier ``counter()``): a restored database
    brings back older counters, under whose values the cache may still keep answers about the
    replaced data. Each row ends beyond every value any row had, so beyond its own."""
    ChangeCounter = counter_model()
    beyond = max(value, counter()) + 1
    for row in EVERY_ROW:
        ChangeCounter.objects.update_or_create(pk=row, defaults={"value": beyond})


def bump_after_migrate(using="default", **kwargs):
    try:
        with transaction.atomic(using=using):
            bump()
    except DatabaseError:  # migrated back to before the counter's table existed
        pass


def bump_on_commit():
    transaction.on_commit(bump, robust=True)


def changed_from(lowest):
    """A change seen from level ``lowest`` up is being written: when (if) its transaction
    commits, move those levels' counters. The change feed calls it for every change it logs."""
    transaction.on_commit(partial(bump_level, lowest), robust=True)


def is_watched(model):
    """Whether a change to ``model`` moves the counters: it is a registered record type, or the
    many-to-many table of one (``Case.tags.through``). simple_history's copies are not
    registered: they are written beside the record, whose own signal counts."""
    if model.__module__ == "__fake__":
        return False  # data migrations' models (the post_migrate bump covers what they write)
    owner = model._meta.auto_created or model
    return registry.for_model(owner) is not None


def _synced(model):
    record_type = registry.for_model(model)
    return record_type is not None and record_type.synced


def _a_synced_records_field(through):
    """Whether ``through`` is the table of a many-to-many field of a synced type."""
    return any(
        field.remote_field.through is through
        for record_type in registry.synced()
        for field in record_type.model_class._meta.many_to_many
    )


def _lowest_level(instance):
    """The lowest level that saw a record of a type outside the feed, before or after this
    change: its own level (a lower bound of who sees it, whatever it hangs on), or None when
    the type has none (reference data, which any record of any level may show)."""
    if not hasattr(instance, "visibility"):
        return None
    before = getattr(instance, "_loaded_visibility", None)
    now = instance.visibility
    return min(now, before) if before is not None else now


def record_changed(sender, instance=None, raw=False, **kwargs):
    # The change feed logs the saves and deletions of the synced types and reports their
    # levels (``changed_from``); it skips fixtures (``raw``), whose level is not known here.
    # Of the other types, one with a level of its own (a document, a reported figure) moves
    # the levels that saw it; no per-record answer nests them (core/registry.py ``nests``).
    if not is_watched(sender) or not (raw or not _synced(sender)):
        return
    lowest = None if raw or instance is None else _lowest_level(instance)
    if lowest is None:
        bump_on_commit()
    else:
        changed_from(lowest)


def relation_changed(sender, action, **kwargs):
    # ``sender`` is the through model (e.g. Case.tags.through); pre_* actions change nothing.
    # The feed logs the many-to-many fields of the synced types (a case's tags) as changes of
    # their record, at its levels.
    if action.startswith("post_") and is_watched(sender) and not _a_synced_records_field(sender):
        bump_on_commit()


# Reading ----------------------------------------------------------------------------------------


def stats():
    """{(name, "hit" or "miss"): how many} of the cached reads in this process."""
    return dict(_stats)


def reset_stats():
    _stats.clear()


def _kept(name, compute, key):
    seconds = settings.READ_CACHE_SECONDS
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down is skipped, not fatal
        log.warning("cache unavailable: computing %s", name, exc_info=True)
        return compute()
    if found is not None:
        _stats[(name, "hit")] += 1
        return found
    _stats[(name, "miss")] += 1
    value = compute()
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: %s not kept", name, exc_info=True)
    return value


def _key(kind, name, counted, parts):
    """A key every cache server takes: the readable name and counter, then a digest of the
    other parts, which may hold spaces and run long (a request's parameters, a URL), both of
    which memcached refuses."""
    digest = hashlib.blake2b(repr(tuple(str(part) for part in parts)).encode(), digest_size=16)
    return f"{kind}:{name}:{counted}:{digest.hexdigest()}"


def remembered(name, compute, level, *parts):
    """``compute()``, kept in the cache under ``name``, ``parts`` and the change counter of
    ``level``, the caller's visibility level: only a change that level sees ends it.

    ``parts`` must name everything else the answer depends on besides the data: the language,
    the day, the request's parameters."""
    if settings.READ_CACHE_SECONDS <= 0:
        return compute()
    level = Visibility(level)
    # "<level>@<counter>": unlike the single counter's keys before it, so none is read again.
    return _kept(name, compute, _key("read", name, f"{int(level)}@{counter(level)}", parts))


def remembered_record(name, compute, level, record, changed, *parts):
    """``compute()``, an answer about the one record ``record`` (its pk) as ``level`` sees
    it, kept in the cache under the record's "changed" time for that level (``changed()``
    reads it, core.models.updated_column; not called with caching off) and the bulk counter:
    changes to other records leave it.

    Only for records whose "changed" time follows everything the answer shows (a container's
    representation, by the registry's ``nests``)."""
    if settings.READ_CACHE_SECONDS <= 0:
        return compute()
    level = Visibility(level)
    key = _key(
        "record",
        name,
        f"{int(level)}@{bulk_counter()}",
        (record, changed().isoformat(), *parts),
    )
    return _kept(name, compute, key)
