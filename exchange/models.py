"""The change log that the change feed (/api/v1/changes/) reads: exchange/changes.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeAction(models.TextChoices):
    CREATED = "created", _("created")
    UPDATED = "updated", _("updated")  # its fields, its links or who may see it
    DELETED = "deleted", _("deleted")


class Change(models.Model):
    """One change to one record of a synced type, written in the transaction that made it.

    ``transaction`` is the writing transaction's id on PostgreSQL (0 on SQLite, whose writes
    are serialised): the feed serves entries in (transaction, id) order and only those of
    finished transactions, so none can appear behind a cursor already handed out.
    ``level_before`` and ``level_after`` are the lowest visibility level that could see the
    record before and after the change (3: it did not exist): a caller is told of a change
    only if it could see the record on one side of it."""

    transaction = models.BigIntegerField(_("transaction"), default=0)
    type = models.CharField(_("type"), max_length=40)  # the type's API path, as partners name it
    record_id = models.BigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    level_before = models.PositiveSmallIntegerField(_("seen before by level"))
    level_after = models.PositiveSmallIntegerField(_("seen after by level"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["transaction", "id"]
        indexes = [
            models.Index(fields=["transaction", "id"], name="change_position"),
            models.Index(fields=["type", "record_id"], name="change_record"),
        ]
        verbose_name = _("change")
        verbose_name_plural = _("changes")

    def __str__(self):
        return f"{self.type} #{self.record_id} {self.action}"
