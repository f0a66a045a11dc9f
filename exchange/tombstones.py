"""What a caller should forget: records deleted, or no longer visible to them, since a time.

Derived from the history tables, so there is nothing extra to keep in step: a deletion is a
history row of type "-", and a record that stopped being visible is one that changed (or whose
parent case or person changed) and is no longer returned by the visibility gate. A tombstone is
only ever given for a record the caller could once see, so the list reveals nothing new.
"""

from dataclasses import dataclass

from django.db.models import Max

from core import registry
from core.models import VisibleModel
from core.visibility import Visibility, level_for


@dataclass(frozen=True)
class Tombstone:
    type: str
    id: int
    reason: str  # "deleted" or "hidden"
    at: object


def synced_models():
    """The record types a partner syncs, by their type name (core/registry.py)."""
    return {t.name: t.model_class for t in registry.synced()}


class TombstoneFinder:
    def __init__(self, viewer, since):
        self.level = level_for(viewer)
        self.since = since
        self._hidden = {}
        self._deleted = {}

    def for_type(self, name):
        model = synced_models()[name]
        stones = [Tombstone(name, pk, "deleted", at) for pk, at in self.deleted(model).items()]
        stones += [Tombstone(name, pk, "hidden", at) for pk, at in self.hidden(model).items()]
        return sorted(stones, key=lambda s: (s.at, s.id))

    def all(self):
        stones = []
        for name in synced_models():
            stones += self.for_type(name)
        return sorted(stones, key=lambda s: (s.at, s.type, s.id))

    def deleted(self, model):
        """Ids deleted since ``since`` that the caller could see when they were deleted."""
        key = model._meta.label
        if key in self._deleted:
            return self._deleted[key]
        rows = model.history.filter(history_date__gte=self.since, history_type="-")
        if self.level < Visibility.MONITORS:
            rows = rows.filter(visibility__lte=self.level)
        rows = dict(rows.values_list("id", "history_date"))
        if self.level < Visibility.MONITORS:
            seen = self.ever_visible(model, rows)
            rows = {pk: at for pk, at in rows.items() if pk in seen}
        self._deleted[key] = rows
        return rows

    def ever_visible(self, model, ids):
        """The ids among ``ids`` that the caller could see at some moment, judged from history:
        the record's own level and that of every record it inherits visibility from were low
        enough at the same time. A hearing marked public in a case that was never public was
        never seen, so it must never be named."""
        own = self.timelines(model, ids, _parent_columns(model))
        wanted = {}
        for rows in own.values():
            for row in rows:
                for parent, parent_id in _parents_of(model, row):
                    wanted.setdefault(parent, set()).add(parent_id)
        parents = {
            parent: self.timelines(parent, parent_ids) for parent, parent_ids in wanted.items()
        }

        def line(parent, parent_id):
            return parents[parent].get(parent_id, [])

        seen = set()
        for pk, rows in own.items():
            # Visibility can only change when the record or one of its parents changes.
            moments = {row["history_date"] for row in rows}
            for row in rows:
                for parent, parent_id in _parents_of(model, row):
                    moments.update(r["history_date"] for r in line(parent, parent_id))
            for moment in sorted(moments):
                state = _state_at(rows, moment)
                if _visible(state) and all(
                    _visible(_state_at(line(parent, parent_id), moment))
                    for parent, parent_id in _parents_of(model, state)
                ):
                    seen.add(pk)
                    break
        return seen

    def timelines(self, model, ids, extra=()):
        """Each record's history rows, oldest first, marked visible or not to the caller."""
        rows = (
            model.history.filter(id__in=ids)
            .order_by("history_date", "history_id")
            .values("id", "history_date", "history_type", "visibility", *extra)
        )
        result = {}
        for row in rows:
            row["visible"] = row["history_type"] != "-" and row["visibility"] <= self.level
            result.setdefault(row["id"], []).append(row)
        return result

    def hidden(self, model):
        """Ids that exist but stopped being visible since ``since``, and were visible before."""
        if self.level >= Visibility.MONITORS:
            return {}
        key = model._meta.label
        if key in self._hidden:
            return self._hidden[key]
        changed = dict(
            model.history.filter(history_date__gte=self.since)
            .exclude(history_type="-")
            .values_list("id")
            .annotate(at=Max("history_date"))
        )
        visible_now = set(
            model.objects.visible_to(self.level).filter(pk__in=changed).values_list("pk", flat=True)
        )
        candidates = {pk: at for pk, at in changed.items() if pk not in visible_now}
        once_visible = self.ever_visible(model, candidates)
        existing = set(model.objects.filter(pk__in=candidates).values_list("pk", flat=True))
        result = {pk: at for pk, at in candidates.items() if pk in once_visible and pk in existing}
        # A record also disappears when its case or person does, and a citation with the
        # record it cites.
        for relation in model.visibility_via:
            parent = model._meta.get_field(relation).related_model
            self.add_orphans(model, result, parent, f"{relation}_id", {})
        if _is_citation(model):
            from django.contrib.contenttypes.models import ContentType

            for subject in synced_models().values():
                if subject is not model:
                    content_type = ContentType.objects.get_for_model(subject)
                    self.add_orphans(
                        model, result, subject, "object_id", {"content_type": content_type}
                    )
        self._hidden[key] = result
        return result

    def add_orphans(self, model, result, parent, link, conditions):
        """Add to ``result`` the records of ``model`` whose ``link`` names a record of ``parent``
        hidden since, and that the caller could once see."""
        parent_hidden = self.hidden(parent)
        if not parent_hidden:
            return
        children = model.objects.filter(
            **conditions, **{f"{link}__in": parent_hidden, "visibility__lte": self.level}
        ).values_list("pk", link)
        children = [(pk, parent_id) for pk, parent_id in children if pk not in result]
        seen = self.ever_visible(model, [pk for pk, _ in children])
        for pk, parent_id in children:
            if pk in seen:
                result[pk] = parent_hidden[parent_id]


def _is_citation(model):
    return model._meta.label == "cases.Citation"


def _parent_columns(model):
    columns = [f"{relation}_id" for relation in model.visibility_via]
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
        from django.contrib.contenttypes.models import ContentType

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
