"""Counting reads of public pages without a database write per page view.

A page view adds one to a per-record counter in the cache (``cache.incr``, atomic in Redis and
Memcached); the periodic job ``reads.tasks.fold_read_counts`` (CELERY_BEAT_SCHEDULE
"read-counts") moves what the cache holds into ``ReadCount`` rows. The counters live in the
shared cache (CACHE_URL): with the default in-process cache each process counts its own
readers and the job sees only its own.

The counting is approximate by design: a cache that is down, restarted or full drops counts
and never breaks a page; crawlers are skipped by their User-Agent.
"""

import logging
import re
from functools import wraps

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from reads.models import ReadCount

log = logging.getLogger(__name__)

# The models whose public pages count their reads: the fold looks for their counters only.
COUNTED = ("cases.case", "defendants.defendant", "cases.article")
# A counter not folded within this time (the job stopped) is dropped by the cache.
KEEP_SECONDS = 7 * 24 * 3600
# How many counters the fold reads from the cache at once.
BATCH = 500

# Crawlers, link previews and scripts name themselves in the User-Agent; browsers do not
# (a request with no User-Agent at all is a script too).
CRAWLER = re.compile(
    r"bot|crawl|spider|slurp|archiver|scrap|preview|facebookexternalhit|curl|wget|python|"
    r"httpclient|java/|go-http|okhttp|feedfetcher|monitor",
    re.IGNORECASE,
)


def is_crawler(request):
    agent = request.headers.get("User-Agent", "")
    return not agent.strip() or bool(CRAWLER.search(agent))


def key(label, pk):
    return f"reads:{label}:{pk}"


def count_read(label, pk):
    """One more read of record ``pk`` of model ``label``; nothing (but a log line) when the
    cache is down."""
    name = key(label, pk)
    try:
        try:
            cache.incr(name)
        except ValueError:  # no counter yet: start one (unless another request just did)
            if not cache.add(name, 1, KEEP_SECONDS):
                cache.incr(name)
    except Exception:  # noqa: BLE001 - a read not counted must never break the page
        log.warning("cache unavailable: a read of %s #%s not counted", label, pk, exc_info=True)


def counts_reads(label):
    """Decorate a public detail view (taking ``pk``) so that each successful GET by a person
    counts as a read of that record, in either language. It wraps the whole view, so an answer
    the view takes from a cache (or a 304 the conditional-GET middleware makes of it) counts
    too; keep it the outermost decorator."""
    if label not in COUNTED:
        raise ValueError(f"{label} is not in reads.counting.COUNTED: its reads would never fold.")

    def decorate(view):
        @wraps(view)
        def counted(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if request.method == "GET" and response.status_code == 200 and not is_crawler(request):
                count_read(label, kwargs["pk"])
            return response

        return counted

    return decorate


def _pending(label):
    """{record id: reads} the cache holds for model ``label``."""
    ids = apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True)
    ids = list(ids)
    found = {}
    for start in range(0, len(ids), BATCH):
        names = {key(label, pk): pk for pk in ids[start : start + BATCH]}
        for name, value in cache.get_many(list(names)).items():
            if value:
                found[names[name]] = int(value)
    return found


FOLD_LOCK = "reads:fold"
FOLD_LOCK_SECONDS = 240  # longer than a fold takes, shorter than the job's period


def fold():
    """Move the counters from the cache into ``ReadCount`` rows; returns how many reads moved.

    Each counter is lowered by what was read from it (``decr``), not deleted, so reads counted
    while the job runs wait for the next run. One fold at a time: a second one started while
    the first runs (a slow worker, a beat sent twice) returns at once, or both would add the
    same reads."""
    try:
        if not cache.add(FOLD_LOCK, 1, FOLD_LOCK_SECONDS):
            log.info("reads are being folded by another run: skipped")
            return 0
    except Exception:  # noqa: BLE001 - the cache is down: nothing to fold
        log.warning("cache unavailable: reads not folded", exc_info=True)
        return 0
    try:
        return _fold()
    finally:
        try:
            cache.delete(FOLD_LOCK)
        except Exception:  # noqa: BLE001 - it expires by itself
            log.warning("cache unavailable: the fold's lock expires by itself", exc_info=True)


def _fold():
    moved = 0
    for label in COUNTED:
        try:
            pending = _pending(label)
        except Exception:  # noqa: BLE001 - the cache is down: try again next run
            log.warning("cache unavailable: reads of %s not folded", label, exc_info=True)
            continue
        if not pending:
            continue
        with transaction.atomic():
            known = set(
                ReadCount.objects.filter(model=label, record_id__in=pending).values_list(
                    "record_id", flat=True
                )
            )
            for pk, n in pending.items():
                if pk in known:
                    ReadCount.objects.filter(model=label, record_id=pk).update(reads=F("reads") + n)
            ReadCount.objects.bulk_create(
                [
                    ReadCount(model=label, record_id=pk, reads=n)
                    for pk, n in pending.items()
                    if pk not in known
                ]
            )
        for pk, n in pending.items():
            try:
                cache.decr(key(label, pk), n)
            except Exception:  # noqa: BLE001 - gone meanwhile: nothing left to fold
                log.info("read counter of %s #%s vanished before it was lowered", label, pk)
        moved += sum(pending.values())
    return moved
