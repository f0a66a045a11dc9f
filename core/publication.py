"""Nothing reaches a reader before an Editor publishes it.

A write *is held* when it would change what someone below the writer's level sees: its level
is above the record's current audience and it changes one of the record's
``publication_fields`` (a case's status, a decision's outcome, a custody period's dates). A
held write leaves the record as it is and stores a ``PendingChange`` instead; the public pages,
the API and exports go on showing what was published until an Editor publishes the change
(or rejects it) in the admin.

The level of a write is the level of what it creates (a new custody period logged as
"monitors only" writes at that level, whoever logs it) or, for an edit of an existing record,
the writer's: Editors and Admins (who may change visibility) publish as they write; Monitors
write at the monitors' level. Every write path calls this module: Log a hearing and the custody
service (``defendants.services.custody_period_start``), the admin pages and their inlines
(core/admin.py), the API (core/api/base.py) and import (which only Editors may use, so its
edits publish, while its new custody periods follow the custody service's rule).
"""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core.models import PendingChange, PendingStatus
from core.visibility import Visibility

PUBLISH_PERMISSION = "cases.change_visibility"


def can_publish(user):
    return user is not None and user.is_active and user.has_perm(PUBLISH_PERMISSION)


def writer_level(user):
    """The level at which ``user``'s edits of existing records land."""
    return Visibility.PUBLIC if can_publish(user) else Visibility.MONITORS


def seen_below(record, level):
    """Whether anyone whose level is below ``level`` can read ``record`` as it is saved now."""
    level = Visibility(level)
    if level == Visibility.PUBLIC:
        return False
    return record.is_visible_to(Visibility(level - 1))


def is_held(record, *, level, fields):
    """Whether a write at ``level`` changing ``fields`` of the saved ``record`` is held."""
    watched = set(getattr(type(record), "publication_fields", ()))
    return bool(watched.intersection(fields)) and seen_below(record, level)


def _to_json(value):
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def hold(record, changes, *, proposed_by=None, reason=""):
    """Store ``changes`` (field name -> value) to ``record`` for an Editor to publish."""
    return PendingChange.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)),
        object_id=record.pk,
        changes={name: _to_json(value) for name, value in changes.items()},
        proposed_by=proposed_by if getattr(proposed_by, "pk", None) else None,
        reason=reason,
    )


def hold_edit(instance, *, user, reason=""):
    """Hold the ``publication_fields`` that ``user``'s edit of ``instance`` (an existing record
    with the new values set on it, not yet saved) changes, if the edit is held.

    The held values are put back to the saved ones on ``instance``, so saving it afterwards
    changes only what readers below the writer's level do not see. Returns the
    ``PendingChange``, or None when nothing is held.
    """
    watched = getattr(type(instance), "publication_fields", ())
    if not watched or instance.pk is None:
        return None
    saved = type(instance)._base_manager.filter(pk=instance.pk).first()
    if saved is None:
        return None
    changed = {}
    for name in watched:
        attname = type(instance)._meta.get_field(name).attname
        if getattr(instance, attname) != getattr(saved, attname):
            changed[name] = getattr(instance, attname)
    if not changed or not is_held(saved, level=writer_level(user), fields=changed):
        return None
    for name in changed:
        attname = type(instance)._meta.get_field(name).attname
        setattr(instance, attname, getattr(saved, attname))
    return hold(saved, changed, proposed_by=user, reason=reason)


def waiting():
    """Changes waiting for an Editor, oldest first."""
    return PendingChange.objects.filter(status=PendingStatus.PENDING).select_related(
        "content_type", "proposed_by"
    )


def _decide(change, user):
    if not can_publish(user):
        raise PermissionDenied
    locked = PendingChange.objects.select_for_update().get(pk=change.pk)
    if locked.status != PendingStatus.PENDING:
        return None
    locked.decided_by = user
    locked.decided_at = timezone.now()
    return locked


@transaction.atomic
def pending_change_publish(*, change, user):
    """Apply ``change`` to its record as ``user`` (an Editor). The record is validated and
    saved normally: it gets a new version and a history entry naming ``user``. Raises
    ``ValidationError`` (and applies nothing) if the record no longer accepts the change."""
    locked = _decide(change, user)
    if locked is None:
        return change
    record = locked.record
    model = type(record)
    for name, value in locked.changes.items():
        field = model._meta.get_field(name)
        setattr(record, field.attname, field.to_python(value))
    record._history_user = user
    record.full_clean()
    record.save()
    locked.status = PendingStatus.PUBLISHED
    locked.save()
    return locked


@transaction.atomic
def pending_change_reject(*, change, user):
    """Discard ``change``: its record stays as published."""
    locked = _decide(change, user)
    if locked is None:
        return change
    locked.status = PendingStatus.REJECTED
    locked.save()
    return locked
