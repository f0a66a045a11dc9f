"""The change feed: every change to every synced record, in order, with a cursor that never
skips a record committed late.

**Writing.** Each create, update, delete and many-to-many change of a synced type
(core/registry.py; links such as case–defendant and affiliations are types of their own, a
decision's charges and a case's tags are changes of the decision or the case) adds a
``Change`` row in the same transaction, so an entry exists exactly when its change
committed. A change to what decides who may see a record (its level, the records it hangs on,
a link) also adds a row for every record whose visibility follows it: the hearings, charges,
links and citations of a case made confidential. Each row keeps the lowest level that could
see the record before and after (``levels``), read through the type's own list queryset, so a
caller is never told of a change to a record it could see neither before nor after.

A change to a record nested in others (each type's ``nests`` in core/registry.py: a hearing
in its case, a person in a case through their link, a court's name in its cases) also adds an
``updated`` row for each record nesting it, at the levels that see both the container and the
change (and the link it is nested through), and moves that container's ``updated_at`` for
those levels only (core.models.ContainerModel), in the same transaction: ``updated_since`` on
the lists then agrees with the feed, and a change a caller cannot see moves nothing they see.

Each write also reports the lowest level that sees it to the cached reads (core/caching.py),
which end for those levels only when it commits.

The rows are written from model signals, like history, and for the same reason: no write
path (admin, API, imports, a shell) can forget them. ``QuerySet.update()`` and
``bulk_create()`` bypass them, as they bypass history; the code never uses them on records
(core/models.py).

**Reading** (``read_page``). Entries are served in (transaction, id) order, and only those of
transactions that have finished. On PostgreSQL each row keeps its transaction's id
(``pg_current_xact_id()``) and the reader serves only ids below its snapshot's xmin, the
oldest transaction still running: every transaction below it has committed or rolled back,
so no entry can ever appear before a position already handed out, however long a writer
kept its transaction open. On SQLite writes are serialised: the id alone is commit order.

Each entry carries the record as the caller may see it **now**, from the type's list
serializer and visibility gate, or a tombstone (``deleted``/``hidden``). Applying a page in
order therefore leaves a copy equal to the server's, whatever happened between the writes.
"""

import base64
import binascii
import functools
from types import SimpleNamespace

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Exists, F, Max, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core import caching, registry
from core.filters import MAX_ID
from core.models import CHANGED_COLUMNS, ContainerModel
from core.visibility import MONITOR_ONLY_FIELDS, Visibility, level_for, visibility_fields
from exchange.models import Change, ChangeAction
from exchange.streams import chunked_ids

GONE = 3  # the level "seen" by nobody: the record does not exist
CITATION = "cases.Citation"

# On PostgreSQL: the transactions below this id have all finished (committed or rolled back).
# A reader that has written itself (only tests do) may read its own entries once no older
# transaction is running.
_HORIZON = """
    CASE WHEN pg_current_xact_id_if_assigned() = pg_snapshot_xmin(pg_current_snapshot())
    THEN pg_current_xact_id_if_assigned()::text::bigint + 1
    ELSE pg_snapshot_xmin(pg_current_snapshot())::text::bigint END
"""


def _on_postgresql():
    return connection.vendor == "postgresql"


def _transaction_id():
    if not _on_postgresql():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return cursor.fetchone()[0]


# Who may see what -------------------------------------------------------------------------------


def list_view(record_type, request, action="list"):
    """The type's API viewset as its list endpoint runs for ``request``."""
    return record_type.viewset_class(request=request, action=action, format_kwarg=None, kwargs={})


def gate(record_type, level):
    """The records of ``record_type`` the list endpoint shows a caller of ``level``."""
    request = SimpleNamespace(user=level, query_params={})
    return list_view(record_type, request).get_queryset()


def levels(record_type, pks):
    """{pk: the lowest level that may see the record} (``GONE`` if it does not exist), read
    through the list endpoint's own queryset. One query."""
    pks = list(set(pks))
    if not pks:
        return {}
    sql, params = _levels_sql(record_type, connection.alias, connection.vendor)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT record, public, partners FROM ({sql}) levels WHERE record IN ({marks})",
            (*params, *pks),
        )
        rows = cursor.fetchall()
    found = {
        pk: Visibility.PUBLIC
        if public
        else Visibility.PARTNERS
        if partners
        else Visibility.MONITORS
        for pk, public, partners in rows
    }
    return {pk: int(found.get(pk, GONE)) for pk in pks}


@functools.cache
def _levels_sql(record_type, alias, vendor):
    """The SQL of ``levels`` for every record of the type, compiled once per process: every
    save asks it, and building the list endpoints' querysets cost far more than running them
    (most of the seed's minute). It holds no value read when it was built: its parameters are
    the levels and the names of types (tests/api/test_change_levels.py compares it with a
    fresh build)."""
    query = (
        record_type.model_class._base_manager.annotate(
            record=F("pk"),
            public=Exists(gate(record_type, Visibility.PUBLIC).filter(pk=OuterRef("pk"))),
            partners=Exists(gate(record_type, Visibility.PARTNERS).filter(pk=OuterRef("pk"))),
        )
        .values_list("record", "public", "partners")
        .query
    )
    return query.sql_with_params()


def _dependents_of(record_type, pks, pairs=()):
    """{type: pks} of the records whose visibility follows these records: those hanging on
    them (``visibility_via``), the facts about a pair they link (``visibility_link``; ``pairs``
    are the linked pairs, old and new) and their citations."""
    label = record_type.model_class._meta.label
    found = {}
    for other in registry.synced():
        model = other.model_class
        condition = Q(pk__in=[])
        for relation in model.visibility_via:
            if model._meta.get_field(relation).related_model._meta.label == label:
                condition |= Q(**{f"{relation}_id__in": pks})
        link = getattr(model, "visibility_link", None)
        if link and link[0] == label:
            for pair in pairs:
                condition |= Q(
                    **{f"{field}_id": value for field, value in zip(link[1:], pair, strict=True)}
                )
        if model._meta.label == CITATION:
            content_type = ContentType.objects.get_for_model(record_type.model_class)
            condition |= Q(content_type=content_type, object_id__in=pks)
        if condition != Q(pk__in=[]):
            ids = set(model._base_manager.filter(condition).values_list("pk", flat=True))
            if ids:
                found[other] = ids
    return found


def dependents(record_type, pks, pairs=()):
    """Every record whose visibility follows these, however deep (a citation of a hearing of
    a case): {type: pks}."""
    seen = {}
    frontier = _dependents_of(record_type, pks, pairs)
    while frontier:
        following = {}
        for other, ids in frontier.items():
            new = ids - seen.get(other, set())
            if not new:
                continue
            seen.setdefault(other, set()).update(new)
            for deeper, deeper_ids in _dependents_of(other, new, _pairs(other, new)).items():
                following.setdefault(deeper, set()).update(deeper_ids)
        frontier = following
    return seen


def _link_fields(record_type):
    """The fields naming the pair a link joins, if other types' facts hang on it."""
    label = record_type.model_class._meta.label
    for other in registry.synced():
        link = getattr(other.model_class, "visibility_link", None)
        if link and link[0] == label:
            return tuple(link[1:])
    return ()


def _pairs(record_type, pks):
    fields = _link_fields(record_type)
    if not fields:
        return ()
    columns = [f"{field}_id" for field in fields]
    return set(record_type.model_class._base_manager.filter(pk__in=pks).values_list(*columns))


def _pair_of(record_type, values):
    fields = _link_fields(record_type)
    return tuple(values[f"{field}_id"] for field in fields) if fields else None


# Writing ----------------------------------------------------------------------------------------


def _hangs_on(model, values):
    """(model, pk) of each record whose visibility the record with ``values`` (attname: value)
    follows directly: its ``visibility_via`` parents, the link of its pair, a citation's
    subject; and a filter for the link rows, which have no known pk."""
    parents, links = [], []
    # Reference records (an article a citation names) follow nothing.
    for relation in getattr(model, "visibility_via", ()):
        field = model._meta.get_field(relation)
        if values.get(field.attname) is not None:
            parents.append((field.related_model, values[field.attname]))
    link = getattr(model, "visibility_link", None)
    if link:
        label, *fields = link
        pair = {f"{field}_id": values.get(f"{field}_id") for field in fields}
        links.append((apps.get_model(label), pair))
    if model._meta.label == CITATION and values.get("content_type_id"):
        subject = ContentType.objects.get_for_id(values["content_type_id"]).model_class()
        if subject is not None and registry.for_model(subject) is not None:
            parents.append((subject, values["object_id"]))
    return parents, links


def _columns(model):
    names = [
        model._meta.get_field(relation).attname for relation in getattr(model, "visibility_via", ())
    ]
    link = getattr(model, "visibility_link", None)
    if link:
        names += [f"{field}_id" for field in link[1:] if f"{field}_id" not in names]
    if model._meta.label == CITATION:
        names += ["content_type_id", "object_id"]
    return names


def _lock_what_it_hangs_on(model, values):
    """On PostgreSQL, lock the records whose visibility this record follows, nearest first,
    until the transaction ends: a concurrent change to one of them (a case made public while
    a hearing is added to it) then waits for this write, or this write for it, so each sees
    the other's rows when it computes who may see what. Without it, the hearing's entry
    would be written as confidential and the case's would not know the hearing."""
    if not _on_postgresql():
        return
    parents, links = _hangs_on(model, values)
    for parent, pk in parents:
        row = (
            parent._base_manager.select_for_update(no_key=True)
            .filter(pk=pk)
            .order_by()
            .values(*_columns(parent))
            .first()
        )
        if row is not None:
            _lock_what_it_hangs_on(parent, row)
    for link_model, pair in links:
        list(
            link_model._base_manager.select_for_update(no_key=True)
            .filter(**pair)
            .order_by()
            .values_list("pk", flat=True)
        )


def lock_in_order(sender, instance, **kwargs):
    """On PostgreSQL, before a save locks its own row: lock the containers it will move (the
    cases showing a person, the people in a case) and the record itself if it is one, cases
    before people, each by id. Every write that moves both takes them in this order (a
    charge's save locks its case, then its person), so two writes wait for each other instead
    of deadlocking, which would cancel one of them."""
    record_type = registry.for_model(sender)
    if not _on_postgresql() or record_type is None or not record_type.synced:
        return
    if instance.pk is None or instance._state.adding:
        return  # a new record is nested in nothing yet; it locks what it hangs on
    wanted = {}
    if issubclass(record_type.model_class, ContainerModel):
        wanted[record_type] = {instance.pk}
    for container, container_pk in containers(record_type, [instance.pk]):
        wanted.setdefault(container, set()).add(container_pk)
    order = {t: position for position, t in enumerate(registry.synced())}
    for container in sorted(wanted, key=order.get):
        rows = container.model_class._base_manager.filter(pk__in=wanted[container]).order_by("pk")
        own = container is record_type
        # Its own row as save() will lock it (FOR UPDATE); the others as an update does.
        list(rows.select_for_update(no_key=not own).values_list("pk", flat=True))


class _Pending:
    """What a record's pre-signal learnt, for its post-signal: the levels before the change
    of the record and of the records whose visibility follows it, and the lowest level that
    sees what changed in the record's own fields (``seen_from``)."""

    def __init__(self, record_type, pk, level, followers, seen_from=Visibility.PUBLIC, times=None):
        self.record_type = record_type
        self.pk = pk
        self.level = level
        self.followers = followers  # {type: {pk: level before}}
        self.seen_from = int(seen_from)
        self.times = times or {}  # its "changed" columns as stored before the change
        # {(container type, pk): {(type, pk)}}: the records nesting it before the change
        self.containers = containers(record_type, [pk]) if pk is not None else {}


def before_save(sender, instance, raw=False, **kwargs):
    record_type = registry.for_model(sender)
    if raw or record_type is None or not record_type.synced:
        return
    model = record_type.model_class
    _lock_what_it_hangs_on(model, {name: getattr(instance, name) for name in _columns(model)})
    columns = [model._meta.get_field(name).attname for name in visibility_fields(model)]
    stored = None
    if instance.pk is not None and not instance._state.adding:
        stored = model._base_manager.filter(pk=instance.pk).values().first()
    old = {column: stored[column] for column in columns} if stored is not None else None
    new = {column: getattr(instance, column) for column in columns}
    if old is None:
        # A new record: only a link has followers already (the facts about the pair it joins).
        pairs = {_pair_of(record_type, new)} - {None}
        followers = dependents(record_type, [], pairs) if pairs else {}
        level = GONE
    else:
        followers = {}
        if old != new:
            pairs = {_pair_of(record_type, old), _pair_of(record_type, new)} - {None}
            followers = dependents(record_type, [instance.pk], pairs)
        level = levels(record_type, [instance.pk])[instance.pk]
    instance._change_pending = _Pending(
        record_type,
        instance.pk,
        level,
        {other: levels(other, ids) for other, ids in followers.items()},
        _seen_from(instance, stored) if stored is not None else Visibility.PUBLIC,
        {name: stored[name] for name in _times(model)} if stored is not None else None,
    )


# Columns a save rewrites whatever changed: not themselves a change anyone reads.
_BOOKKEEPING = {"created_at", "updated_at", "version", *CHANGED_COLUMNS.values()}


def _times(model):
    """The columns telling callers when the record changed (core.models.ContainerModel)."""
    return list(CHANGED_COLUMNS.values()) if issubclass(model, ContainerModel) else ["updated_at"]


def _seen_from(instance, stored):
    """The lowest level that reads a field this save changes, by the model's
    ``field_levels`` (core.models.VisibleModel): monitors only, when nothing else changed."""
    hidden = instance.field_levels(stored) if hasattr(instance, "field_levels") else {}
    lowest = Visibility.MONITORS
    for field in instance._meta.concrete_fields:
        if field.attname in _BOOKKEEPING or not _differs(field, stored[field.attname], instance):
            continue
        lowest = min(lowest, hidden.get(field.name, Visibility.PUBLIC))
    return lowest


def _differs(field, stored, instance):
    try:
        return field.to_python(getattr(instance, field.attname)) != stored
    except (TypeError, ValueError, ValidationError):
        return True  # a value the field cannot read: its own validation speaks; assume a change


def after_save(sender, instance, created=False, raw=False, **kwargs):
    pending = getattr(instance, "_change_pending", None)
    if raw or pending is None:
        return
    del instance._change_pending
    action = ChangeAction.CREATED if pending.level == GONE else ChangeAction.UPDATED
    after = levels(pending.record_type, [instance.pk])[instance.pk]
    if action == ChangeAction.UPDATED and pending.level == after < pending.seen_from:
        # Only fields the levels below ``seen_from`` do not read changed (a review note):
        # for them nothing changed, not even when.
        _keep_times(pending, instance)
        pending.level = after = pending.seen_from
    _write(pending, instance.pk, action, after)


def _keep_times(pending, instance):
    """Put back the "changed" times of the levels that cannot see this change: a container's
    columns below ``seen_from``, or the ``updated_at`` that every caller of another record
    reads."""
    model = pending.record_type.model_class
    kept = {
        column: value
        for column, value in pending.times.items()
        if column == "updated_at" or _level_of_column(column) < pending.seen_from
    }
    model._base_manager.filter(pk=instance.pk).update(**kept)
    for column, value in kept.items():
        setattr(instance, column, value)


def _level_of_column(column):
    return next(level for level, name in CHANGED_COLUMNS.items() if name == column)


def derived_changed(sender, instance, **kwargs):
    """A derived field changed without a save (core/signals.py): an update at unchanged
    levels."""
    record_type = registry.for_model(sender)
    if record_type is None or not record_type.synced:
        return
    level = levels(record_type, [instance.pk])[instance.pk]
    _write(_Pending(record_type, instance.pk, level, {}), instance.pk, ChangeAction.UPDATED, level)


def _cleared_by_deleting(instance):
    """{type: pks} of the synced records whose reference to ``instance`` its deletion clears
    (``on_delete=SET_NULL``, a decision's hearing): the database clears them in one UPDATE
    that no save signal sees, yet each of them changed."""
    found = {}
    for relation in instance._meta.related_objects:
        if relation.on_delete is not models.SET_NULL:
            continue
        other = registry.for_model(relation.related_model)
        if other is None or not other.synced:
            continue
        pks = set(
            relation.related_model._base_manager.filter(
                **{relation.field.name: instance.pk}
            ).values_list("pk", flat=True)
        )
        if pks:
            found[other] = pks
    return found


def before_delete(sender, instance, **kwargs):
    record_type = registry.for_model(sender)
    if record_type is None or not record_type.synced:
        return
    instance._change_cleared = _cleared_by_deleting(instance)
    pair = _pair_of(
        record_type,
        {f"{field}_id": getattr(instance, f"{field}_id") for field in _link_fields(record_type)},
    )
    followers = dependents(record_type, [instance.pk], {pair} - {None})
    instance._change_pending = _Pending(
        record_type,
        instance.pk,
        levels(record_type, [instance.pk])[instance.pk],
        {other: levels(other, ids) for other, ids in followers.items()},
    )


def after_delete(sender, instance, **kwargs):
    pending = getattr(instance, "_change_pending", None)
    if pending is None:
        return
    del instance._change_pending
    _write(pending, pending.pk, ChangeAction.DELETED, GONE)
    for other, pks in getattr(instance, "_change_cleared", {}).items():
        _updated_without_save(other, pks, pending.level)


def _updated_without_save(record_type, pks, seen_from):
    """Records changed by the database rather than by ``save()`` (a decision's hearing
    cleared when the hearing was deleted): the change is seen only by a caller who saw the
    other record (from level ``seen_from``) too. The feed tells those callers, and a
    container's "changed" columns move for them alone (core.models.ContainerModel), so their
    ``updated_since`` returns the record again; ``updated_at``, which every caller of a record
    that is not a container reads, moves only where all of them saw it."""
    seen = {pk: level for pk, level in levels(record_type, pks).items() if level != GONE}
    model = record_type.model_class
    now = timezone.now()
    if issubclass(model, ContainerModel):
        by_level = {}
        for pk, level in seen.items():
            by_level.setdefault(max(level, seen_from), []).append(pk)
        for lowest, touched in by_level.items():
            model.touch(touched, lowest, now)
    moved = [pk for pk, level in seen.items() if seen_from <= level]
    model._base_manager.filter(pk__in=moved).update(updated_at=now)
    changed = [
        (record_type, pk, max(level, seen_from), max(level, seen_from))
        for pk, level in seen.items()
        if max(level, seen_from) != GONE
    ]
    if changed:
        _log(changed, containers(record_type, pks), ChangeAction.UPDATED)


def _write(pending, pk, action, after):
    changed = [(pending.record_type, pk, pending.level, after)]
    for other, before in pending.followers.items():
        if other is pending.record_type:
            before = {k: v for k, v in before.items() if k != pk}
        now = levels(other, before)
        for follower, level in before.items():
            # A follower deleted with the record writes its own entry (its delete signal).
            if now[follower] not in (level, GONE):
                changed.append((other, follower, level, now[follower]))
    around = dict(pending.containers)  # where the record was nested before the change
    if action != ChangeAction.DELETED:
        for key, children in containers(pending.record_type, [pk]).items():
            around.setdefault(key, set()).update(children)
    by_type = {}
    for record_type, record_id, *_ in changed[1:]:
        by_type.setdefault(record_type, set()).add(record_id)
    for record_type, ids in by_type.items():
        for key, children in containers(record_type, ids).items():
            around.setdefault(key, set()).update(children)
    _log(changed, around, action)


def _log(changed, around, action):
    """Write the entries of ``changed`` ((type, pk, level before, level after), the record
    that changed first, with ``action``) and of the containers ``around`` them whose
    representation changed with them, and move those containers' ``updated_at`` for the
    levels that see the change (core.models.ContainerModel)."""
    nesting = _nesting_changes(changed, around)
    _touch(nesting)
    _insert(changed + nesting, action)


def _insert(changed, action):
    """One entry per (type, pk, level before, level after): the first with ``action``, the
    others updates."""
    if not changed:
        return
    # Cached reads of the levels that see one of these entries end when the change commits.
    caching.changed_from(min(min(before, after) for *_, before, after in changed))
    xid = _transaction_id()
    Change.objects.bulk_create(
        Change(
            transaction=xid,
            type=record_type.partner_name,
            record_id=record_id,
            action=action if index == 0 else ChangeAction.UPDATED,
            level_before=before,
            level_after=after,
        )
        for index, (record_type, record_id, before, after) in enumerate(changed)
    )


def reference_changed(sender, instance, created=False, raw=False, **kwargs):
    """A reference record shown inside others (a court's name in its cases, an article's
    title in the charges of a case) was saved: the records nesting it changed for whoever
    sees them and the record it is shown through. Reference data has no level of its own
    and is not synced itself; a new one is nested in nothing yet."""
    record_type = registry.for_model(sender)
    if raw or created or record_type is None:
        return
    around = containers(record_type, [instance.pk])
    if not around:
        return
    nesting = _nesting_changes(
        [(record_type, instance.pk, int(Visibility.PUBLIC), int(Visibility.PUBLIC))], around
    )
    _touch(nesting)
    if nesting:
        _insert(nesting, ChangeAction.UPDATED)


def nested_references():
    """The record types that are not synced but are shown inside synced ones (``nests``)."""
    names = {child for container in registry.synced() for child, *_ in container.nests}
    return [registry.get(name) for name in sorted(names) if not registry.get(name).synced]


def _touch(nesting):
    """Move the ``updated_at`` of each container in ``nesting`` for every level from the
    lowest that sees the change in it: one query per container type and level."""
    now = timezone.now()
    grouped = {}
    for container, container_pk, before, after in nesting:
        grouped.setdefault((container, min(before, after)), []).append(container_pk)
    for (container, lowest), pks in grouped.items():
        model = container.model_class
        if issubclass(model, ContainerModel):
            model.touch(pks, lowest, now)


def containers(record_type, pks):
    """{(container type, container pk): {(type, pk, through)}}: the records whose
    representation nests these records (a case nests its hearings), by each type's ``nests``
    (core/registry.py). ``through`` is (link type, link pk) for a record nested through a link
    (a person in a case, through their place in it), else None."""
    found = {}
    pks = list(pks)
    if not pks:
        return found
    for container in registry.synced():
        for child, lookup, *through in container.nests:
            if child != record_type.name:
                continue
            columns = ["pk", lookup]
            if through:
                link, link_lookup = through[0]
                columns.append(link_lookup)
            rows = (
                container.model_class._base_manager.filter(**{f"{lookup}__in": pks})
                .values_list(*columns)
                .distinct()
            )
            for container_pk, child_pk, *link_pk in rows:
                via = (registry.get(link), link_pk[0]) if through else None
                found.setdefault((container, container_pk), set()).add((record_type, child_pk, via))
    return found


def _nesting_changes(changed, around):
    """(type, pk, before, after) of the containers whose representation changed with the
    records ``changed``: seen by a level only if it sees the container and a changed record
    inside it, on the same side of the change, and for a record nested through a link (a
    person in a case), the link too. A container that changed itself, or is gone, needs
    nothing more."""
    seen = {
        (record_type, record_id): (before, after)
        for record_type, record_id, before, after in changed
    }
    wanted = {}
    for (container, container_pk), children in around.items():
        if (container, container_pk) not in seen:
            wanted.setdefault(container, {})[container_pk] = children
    links = _link_levels(
        via
        for members in wanted.values()
        for children in members.values()
        for *_, via in children
        if via is not None and via not in seen
    )
    links.update(seen)
    nesting = []
    for container, members in wanted.items():
        own = levels(container, members)
        for container_pk, children in members.items():
            if own[container_pk] == GONE:
                continue
            sides = []
            for child_type, child_pk, via in children:
                side = seen.get((child_type, child_pk))
                if side is None:
                    continue
                if via is not None:  # seen only by whoever also sees the link
                    side = tuple(map(max, side, links[via]))
                sides.append(side)
            if not sides:
                continue
            # Seen by a level that sees the container and a changed record in it, before or
            # after; "before" includes both sides, so the container is never new to anyone.
            after = max(own[container_pk], min(side[1] for side in sides))
            before = max(own[container_pk], min(min(side) for side in sides))
            if before < GONE:
                nesting.append((container, container_pk, before, after))
    return nesting


def _link_levels(vias):
    """{(link type, pk): (level, level)}: who sees each link now. One query per link type."""
    by_type = {}
    for link_type, pk in vias:
        by_type.setdefault(link_type, set()).add(pk)
    found = {}
    for link_type, pks in by_type.items():
        for pk, level in levels(link_type, pks).items():
            found[(link_type, pk)] = (level, level)
    return found


def log_existing(record_type, chunk=500):
    """Add a ``created`` entry for each record of ``record_type`` that has none: records from
    before the feed existed, or bulk-loaded without ``save()``. Returns how many."""
    model = record_type.model_class
    name = record_type.partner_name
    missing = model._base_manager.exclude(
        Exists(Change.objects.filter(type=name, record_id=OuterRef("pk")))
    )
    added = 0
    for ids in chunked_ids(missing, chunk):
        seen = levels(record_type, ids)
        xid = _transaction_id()
        Change.objects.bulk_create(
            Change(
                transaction=xid,
                type=name,
                record_id=pk,
                action=ChangeAction.CREATED,
                level_before=GONE,
                level_after=seen[pk],
            )
            for pk in ids
        )
        added += len(ids)
    return added


def relation_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A case's tags, a decision's charges …: an update of the record owning the field."""
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    field = _many_to_many_field(sender)
    if field is None:
        return
    record_type = registry.for_model(field.model)
    if record_type is None or not record_type.synced:
        return
    if not reverse:
        pks = {instance.pk}
    elif action == "pre_clear":
        pks = set(
            field.model._base_manager.filter(**{field.name: instance.pk}).values_list(
                "pk", flat=True
            )
        )
        instance._change_cleared = pks
        return
    elif action == "post_clear":
        pks = getattr(instance, "_change_cleared", set())
    else:
        pks = set(pk_set or ())
    if action == "pre_clear" or not pks:
        return
    if field.name in MONITOR_ONLY_FIELDS:
        seen = dict.fromkeys(pks, int(Visibility.MONITORS))  # nobody else sees the field
    else:
        seen = levels(record_type, pks)
    # Who sees the records linked or unlinked (a decision's charges): only a caller who sees
    # one of them sees the change.
    related = registry.for_model(field.related_model)
    linked = pk_set if not reverse else {instance.pk}
    linked_from = int(Visibility.PUBLIC)
    if related is not None and related.synced and linked:
        linked_from = min(levels(related, linked).values())
    owner_level = dict(seen)
    seen = {pk: max(level, linked_from) for pk, level in seen.items()}
    model = record_type.model_class
    now = timezone.now()
    # Its own representation changed (a case's tags, a decision's charges): a container moves
    # for the levels that see the change only.
    if issubclass(model, ContainerModel):
        for level in set(seen.values()) - {GONE}:
            model.touch([pk for pk, seen_by in seen.items() if seen_by == level], level, now)
    else:  # updated_at, which every caller reads, moves where all of them see the change
        moved = [pk for pk, level in owner_level.items() if seen[pk] == level]
        model._base_manager.filter(pk__in=moved).update(updated_at=now)
    changed = [(record_type, pk, level, level) for pk, level in seen.items() if level != GONE]
    _log(changed, containers(record_type, pks), ChangeAction.UPDATED)


def _many_to_many_field(through):
    for record_type in registry.synced():
        for field in record_type.model_class._meta.many_to_many:
            if field.remote_field.through is through:
                return field
    return None


# Reading ----------------------------------------------------------------------------------------

START = (0, 0)  # before the first entry
PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class InvalidCursor(ValueError):
    pass


def encode_cursor(position):
    raw = f"{position[0]}.{position[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text):
    """The position a cursor names; InvalidCursor if it names none."""
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        transaction, entry = raw.split(".")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidCursor(text) from None
    parts = (transaction, entry)
    if not all(part.isascii() and part.isdigit() for part in parts):
        raise InvalidCursor(text)
    position = (int(transaction), int(entry))
    if max(position) > 2**63 - 1 or position[1] > MAX_ID:
        raise InvalidCursor(text)
    return position


def latest_position(level):
    """The position of the newest entry a caller of ``level`` may be told of, among those the
    feed can serve now: it moves when something such a caller sees changes, and for nothing
    else (an export's ETag is built on it)."""
    rows = Change.objects.filter(Q(level_before__lte=level) | Q(level_after__lte=level))
    if _on_postgresql():
        rows = rows.filter(transaction__lt=RawSQL(_HORIZON, ()))
    return rows.order_by("-transaction", "-id").values_list("transaction", "id").first() or START


def reference_stamp():
    """When the public reference data shown inside records (courts, articles, laws,
    organisations) last changed: exports name it in rows the feed does not re-send (a court
    in a hearing's CSV row). Public data: telling anyone when it changed reveals nothing."""
    stamps = []
    for record_type in nested_references():
        model = record_type.model_class
        if any(field.name == "updated_at" for field in model._meta.fields):
            stamps.append(model._base_manager.aggregate(latest=Max("updated_at"))["latest"])
    return tuple(stamps)


def read_page(request, position, size):
    """(entries, next position, whether more are ready) after ``position`` for the caller of
    ``request``: at most ``size`` entries, each a dict ready to send."""
    level = level_for(request.user)
    transaction, entry = position
    rows = Change.objects.filter(
        Q(transaction__gt=transaction) | Q(transaction=transaction, id__gt=entry),
        Q(level_before__lte=level) | Q(level_after__lte=level),
    )
    if _on_postgresql():
        rows = rows.filter(transaction__lt=RawSQL(_HORIZON, ()))
    rows = list(rows.order_by("transaction", "id")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if rows:
        position = (rows[-1].transaction, rows[-1].id)
    return _entries(request, rows, level), position, more


def _entries(request, rows, level):
    by_type = {}
    for row in rows:
        by_type.setdefault(row.type, set()).add(row.record_id)
    records, existing = {}, {}
    for name, pks in by_type.items():
        record_type = registry.by_partner_name(name)
        view = list_view(record_type, request)
        visible = list(view.get_queryset().filter(pk__in=pks))
        data = view.get_serializer(visible, many=True).data
        records[name] = {record.pk: item for record, item in zip(visible, data, strict=True)}
        unseen = pks - records[name].keys()
        existing[name] = set()
        if unseen:
            model = record_type.model_class
            existing[name] = set(
                model._base_manager.filter(pk__in=unseen).values_list("pk", flat=True)
            )
    entries = []
    for row in rows:
        record = records[row.type].get(row.record_id)
        if record is not None:
            action = ChangeAction.CREATED if row.level_before > level else ChangeAction.UPDATED
        else:
            action = "hidden" if row.record_id in existing[row.type] else ChangeAction.DELETED
        entries.append(
            {
                "type": row.type,
                "id": row.record_id,
                "action": str(action),
                "at": row.at,
                "record": record,
            }
        )
    return entries
