"""Cached reads that are never stale.

Some answers cost far more to compute than to keep: the statistics page counts every case,
charge, decision and day in detention; a page of the API's case list reads a thousand nested
records. They are kept in the cache under a key that includes the **change counter**, a
number in the database (``ChangeCounter``) that grows after every committed change to a
case, person, hearing or any other record the public pages and the API show. A monitor's edit
moves the counter, and from the next request on every cached answer is computed afresh; old
entries simply expire. Because the counter lives in the database, this holds across every
web process and server, whatever the cache backend.

- Signals bump the counter after ``save()``, ``delete()`` and many-to-many changes of every
  registered record type (core/registry.py; the models an app marks internal move nothing),
  and the code never uses ``update()`` or ``bulk_create()`` on them (see core/models.py); the
  bulk loaders (``generate_synthetic``, migrations) call ``bump()`` themselves.
- The bump runs when the transaction commits: a reader never caches data under a counter
  value that a committed change has already passed.
- ``READ_CACHE_SECONDS`` (setting) bounds how long an entry lives; 0 turns caching off (the
  benchmark uses it to measure the code itself). A cache that is down is skipped, not fatal.
"""

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F

from core import registry

log = logging.getLogger(__name__)

COUNTER_MODEL = "cases.ChangeCounter"


def counter_model():
    """The counter's model. It stays in ``cases`` where it was first created (models do not
    move: its table is ``cases_changecounter``), so the kernel names it instead of importing it."""
    return apps.get_model(COUNTER_MODEL)


def counter():
    """The change counter's current value (0 before the first change)."""
    ChangeCounter = counter_model()
    return ChangeCounter.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def bump():
    """Move the change counter on: every cached answer is stale from now on."""
    ChangeCounter = counter_model()
    if ChangeCounter.objects.filter(pk=1).update(value=F("value") + 1):
        return
    try:
        with transaction.atomic():
            ChangeCounter.objects.create(pk=1, value=1)
    except IntegrityError:  # another process created it first
        ChangeCounter.objects.filter(pk=1).update(value=F("value") + 1)


def bump_past(value):
    """Move the change counter beyond ``value``: a restored database brings back an older
    counter, under whose values the cache may still keep answers about the replaced data."""
    ChangeCounter = counter_model()
    current = counter()
    ChangeCounter.objects.update_or_create(pk=1, defaults={"value": max(value, current) + 1})


def bump_after_migrate(using="default", **kwargs):
    try:
        with transaction.atomic(using=using):
            bump()
    except DatabaseError:  # migrated back to before the counter's table existed
        pass


def bump_on_commit():
    transaction.on_commit(bump, robust=True)


def is_watched(model):
    """Whether a change to ``model`` moves the counter: it is a registered record type, or the
    many-to-many table of one (``Case.tags.through``). simple_history's copies are not
    registered: they are written beside the record, whose own signal counts."""
    if model.__module__ == "__fake__":
        return False  # data migrations' models (the post_migrate bump covers what they write)
    owner = model._meta.auto_created or model
    return registry.for_model(owner) is not None


def record_changed(sender, **kwargs):
    if is_watched(sender):
        bump_on_commit()


def relation_changed(sender, action, **kwargs):
    # ``sender`` is the through model (e.g. Case.tags.through); pre_* actions change nothing.
    if action.startswith("post_") and is_watched(sender):
        bump_on_commit()


def remembered(name, compute, *parts):
    """``compute()``, kept in the cache under ``name``, ``parts`` and the change counter.

    ``parts`` must name everything the answer depends on besides the data: the viewer's
    visibility level, the language, the day, the request's parameters."""
    seconds = settings.READ_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    key = ":".join(["read", name, str(counter()), *(str(part) for part in parts)])
    try:
        found = cache.get(key)
    except Exception:  # noqa: BLE001 - a cache that is down is skipped, not fatal
        log.warning("cache unavailable: computing %s", name, exc_info=True)
        return compute()
    if found is not None:
        return found
    value = compute()
    try:
        cache.set(key, value, seconds)
    except Exception:  # noqa: BLE001
        log.warning("cache unavailable: %s not kept", name, exc_info=True)
    return value
