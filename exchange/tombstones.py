"""What a caller should forget: records deleted, or no longer visible to them, since a time.

Derived from the history tables, so there is nothing extra to keep in step: a deletion is a
history row of type "-", and a record that stopped being visible is one that changed (or whose
parent case or person changed) and is no longer returned by the visibility gate. A tombstone is
only ever given for a record the caller could once see, so the list reveals nothing new.
"""

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from core import registry
from core.models import VisibleModel
from core.visibility import Visibility, level_for


def sync_horizon():
    """The ``server_time`` a partner's next sync resumes from (``updated_since``).

    A record is stamped (``updated_at``) when it is saved but reaches readers only when its
    transaction commits: one saved in a transaction still open during this sync carries a
    time earlier than now, so "now" would skip it for good. The horizon is therefore the start
    of the oldest transaction still open in this database (PostgreSQL), less
    ``SYNC_OVERLAP_SECONDS`` for a record stamped just before its statement began and for app
    servers whose clocks differ a little. A sync may see a record twice; it never misses one.
    Only client sessions count (autovacuum writes no record), and the app's database role
    must be the one every writer uses (or hold ``pg_read_all_stats``): PostgreSQL hides other
    roles' transaction starts.
    (SQLite, for development, has one writer at a time: only the margin applies.)"""
    oldest = timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend'"
            )
            [started] = cursor.fetchone()
        if started is not None:
            oldest = min(oldest, started)
    return oldest - datetime.timedelta(seconds=settings.SYNC_OVERLAP_SECONDS)


@dataclass(frozen=True)
class Tombstone:
    type: str
    id: int
    reason: str  # "deleted" or "hidden"
    at: object


def synced_models():
    """The record types a partner syncs, by the name partners see everywhere: the type's API
    path ("cases", "case-defendants"), as in list URLs, exports, tombstones and webhooks."""
    return {t.path: t.model_class for t in registry.synced()}


class TombstoneFinder:
    """The records a caller must forget since ``since``, each named once: at the moment it
    stopped being visible to them (deleted, hidden, or hanging on something that was), never
    moved by later edits, and never for a record the caller could not see before.

    Visibility at a moment is judged from history: the record's own level, that of every
    record it hangs on (recursively: a citation of a hearing of a case), and for a fact about
    a person in a case that of the link between them (``visibility_link``)."""

    def __init__(self, viewer, since):
        self.level = level_for(viewer)
        self.since = since
        self._stones = {}  # model label: {pk: (reason, at)}
        self._lines = {}  # model: {pk: history rows, oldest first}
        self._pairs = {}  # link model: {(ids of the pair): history rows, oldest first}
        self._moments = {}  # (model, pk): the moments its visibility may have changed

    def for_type(self, name):
        model = synced_models()[name]
        stones = [
            Tombstone(name, pk, reason, at) for pk, (reason, at) in self.changes(model).items()
        ]
        return sorted(stones, key=lambda s: (s.at, s.id))

    def all(self):
        stones = []
        for name in synced_models():
            stones += self.for_type(name)
        return sorted(stones, key=lambda s: (s.at, s.type, s.id))

    def deleted(self, model):
        return {pk: at for pk, (reason, at) in self.changes(model).items() if reason == "deleted"}

    def hidden(self, model):
        return {pk: at for pk, (reason, at) in self.changes(model).items() if reason == "hidden"}

    def changes(self, model):
        """{pk: (reason, at)} for the records of ``model`` that stopped being visible to the
        caller at a moment ``at`` since ``since``, and are still not visible."""
        key = model._meta.label
        if key in self._stones:
            return self._stones[key]
        if self.level >= Visibility.MONITORS:
            # Monitors see everything: they forget only what was deleted.
            deletions = dict(
                model.history.filter(history_date__gte=self.since, history_type="-").values_list(
                    "id", "history_date"
                )
            )
            existing = set(model.objects.filter(pk__in=deletions).values_list("pk", flat=True))
            self._stones[key] = {
                pk: ("deleted", at) for pk, at in deletions.items() if pk not in existing
            }
            return self._stones[key]
        self._stones[key] = {}
        candidates = set(
            model.history.filter(history_date__gte=self.since).values_list("id", flat=True)
        )
        # A record also disappears when what it hangs on does.
        for relation in model.visibility_via:
            gone = self.changes(model._meta.get_field(relation).related_model)
            if gone:
                candidates.update(
                    model.objects.filter(**{f"{relation}_id__in": gone}).values_list(
                        "pk", flat=True
                    )
                )
        link = _link(model)
        if link:
            link_model, fields = link
            gone = self.changes(link_model)
            if gone:
                columns = [f"{field}_id" for field in fields]
                pairs = Q(pk__in=[])
                for pair in set(link_model.history.filter(id__in=gone).values_list(*columns)):
                    pairs |= Q(**dict(zip(columns, pair, strict=True)))
                candidates.update(model.objects.filter(pairs).values_list("pk", flat=True))
        if _is_citation(model):
            for subject in synced_models().values():
                gone = self.changes(subject) if subject is not model else {}
                if gone:
                    content_type = ContentType.objects.get_for_model(subject)
                    candidates.update(
                        model.objects.filter(
                            content_type=content_type, object_id__in=gone
                        ).values_list("pk", flat=True)
                    )
        if not _is_citation(model):  # the gate does not judge a citation's subject
            candidates -= set(
                model.objects.visible_to(self.level)
                .filter(pk__in=candidates)
                .values_list("pk", flat=True)
            )
        self._load(model, candidates)
        result = {}
        for pk in candidates:
            at = self._stopped_at(model, pk)
            if at is not None and at >= self.since:
                rows = self._lines[model][pk]
                reason = "deleted" if rows and rows[-1]["history_type"] == "-" else "hidden"
                result[pk] = (reason, at)
        self._stones[key] = result
        return result

    def _stopped_at(self, model, pk):
        """The last moment the record went from visible to not visible, if it is not visible
        at the end of its history; None if it never was visible (or still is)."""
        was, stopped = False, None
        for moment in sorted(self._moments_of(model, pk)):
            now = self._visible_at(model, pk, moment)
            if was and not now:
                stopped = moment
            was = now
        return None if was else stopped

    def _visible_at(self, model, pk, moment):
        state = _state_at(self._lines[model].get(pk, []), moment)
        if not _visible(state):
            return False
        for parent, parent_id in _parents_of(model, state):
            if parent_id is not None and not self._visible_at(parent, parent_id, moment):
                return False
        link = _link(model)
        if link:
            rows = self._pairs[link[0]].get(_pair_of(link, state), [])
            if not _visible(_state_at(rows, moment)):
                return False
        return True

    def _moments_of(self, model, pk):
        """Every moment the record, a record it hangs on or its link changed."""
        key = (model, pk)
        if key not in self._moments:
            moments = set()
            link = _link(model)
            for row in self._lines[model].get(pk, []):
                moments.add(row["history_date"])
                for parent, parent_id in _parents_of(model, row):
                    if parent_id is not None:
                        moments |= self._moments_of(parent, parent_id)
                if link:
                    pair_rows = self._pairs[link[0]].get(_pair_of(link, row), [])
                    moments.update(r["history_date"] for r in pair_rows)
            self._moments[key] = moments
        return self._moments[key]

    def _load(self, model, ids):
        """Read the history of the records ``ids`` of ``model``, of every record they hang on
        and of their links, each once."""
        lines = self._lines.setdefault(model, {})
        missing = [pk for pk in ids if pk not in lines]
        if not missing:
            return
        for pk in missing:
            lines[pk] = []
        link = _link(model)
        rows = (
            model.history.filter(id__in=missing)
            .order_by("history_date", "history_id")
            .values("id", "history_date", "history_type", "visibility", *_parent_columns(model))
        )
        wanted, pairs = {}, set()
        for row in rows:
            row["visible"] = self._row_visible(row)
            lines[row["id"]].append(row)
            for parent, parent_id in _parents_of(model, row):
                if parent_id is not None:
                    wanted.setdefault(parent, set()).add(parent_id)
            if link:
                pairs.add(_pair_of(link, row))
        for parent, parent_ids in wanted.items():
            self._load(parent, parent_ids)
        if link:
            self._load_pairs(link, pairs)

    def _load_pairs(self, link, pairs):
        link_model, fields = link
        store = self._pairs.setdefault(link_model, {})
        missing = {pair for pair in pairs if pair not in store}
        if not missing:
            return
        for pair in missing:
            store[pair] = []
        columns = [f"{field}_id" for field in fields]
        rows = (
            link_model.history.filter(**{f"{columns[0]}__in": {pair[0] for pair in missing}})
            .order_by("history_date", "history_id")
            .values("id", "history_date", "history_type", "visibility", *columns)
        )
        for row in rows:
            pair = _pair_of(link, row)
            if pair in missing:
                row["visible"] = self._row_visible(row)
                store[pair].append(row)

    def _row_visible(self, row):
        return row["history_type"] != "-" and row["visibility"] <= self.level


def _link(model):
    """(link model, fields) of a fact about a pair of records, or None."""
    link = getattr(model, "visibility_link", None)
    if not link:
        return None
    label, *fields = link
    return apps.get_model(label), tuple(fields)


def _pair_of(link, row):
    return tuple(row[f"{field}_id"] for field in link[1])


def _is_citation(model):
    return model._meta.label == "cases.Citation"


def _parent_columns(model):
    columns = [f"{relation}_id" for relation in model.visibility_via]
    link = _link(model)
    if link:
        columns += [f"{field}_id" for field in link[1] if f"{field}_id" not in columns]
    if _is_citation(model):
        columns += ["content_type_id", "object_id"]
    return columns


def _parents_of(model, row):
    """(model, id) of each record whose visibility the record in history ``row`` inherits: its
    ``visibility_via`` relations, and for a citation the record it cites."""
    parents = [
        (model._meta.get_field(relation).related_model, row[f"{relation}_id"])
        for relation in model.visibility_via
    ]
    if _is_citation(model):
        subject = ContentType.objects.get_for_id(row["content_type_id"]).model_class()
        if subject is not None and issubclass(subject, VisibleModel):
            parents.append((subject, row["object_id"]))
    return parents


def _state_at(rows, moment):
    """The last of ``rows`` (oldest first) written at or before ``moment``, or None."""
    state = None
    for row in rows:
        if row["history_date"] > moment:
            break
        state = row
    return state


def _visible(state):
    return state is not None and state["visible"]
