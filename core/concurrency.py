"""No lost updates: a save based on an old version of a record is refused.

Every record carries a ``version`` that goes up by one on each save. A form or API request
that edits a record says which version it started from; ``VersionedModel.save`` refuses the
save when the record has moved on since, and the refusal says what the other person changed
(read from the record's history).
"""

from django.utils.translation import gettext as _


class EditConflict(Exception):
    """Someone else saved the record after this edit began."""

    def __init__(self, instance, expected_version, current_version):
        self.instance = instance
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(self.message())

    def changes(self):
        return changes_since(self.instance, self.expected_version)

    def message(self):
        lines = [
            _(
                "Someone else saved this record while you were editing it (your version "
                "%(expected)s, now %(current)s). Your changes were not saved."
            )
            % {"expected": self.expected_version, "current": self.current_version}
        ]
        for change in self.changes():
            lines.append(
                _("%(user)s changed %(field)s from “%(old)s” to “%(new)s” at %(when)s.") % change
            )
        lines.append(_("Reload the page to see the current record, then make your change again."))
        return " ".join(lines)


def changes_since(instance, version):
    """What was changed in ``instance`` after ``version``, newest last, from its history."""
    history = getattr(instance, "history", None)
    if history is None or instance.pk is None:
        return []
    records = list(
        type(instance)
        .history.filter(id=instance.pk, version__gt=version)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes = []
    for record in records:
        previous = record.prev_record
        if previous is None:
            continue
        delta = record.diff_against(previous, excluded_fields=["version", "updated_at"])
        for change in delta.changes:
            field = instance._meta.get_field(change.field)
            changes.append(
                {
                    "user": record.history_user or _("someone"),
                    "field": field.verbose_name,
                    "old": _display(previous, field),
                    "new": _display(record, field),
                    "when": record.history_date.strftime("%Y-%m-%d %H:%M"),
                }
            )
    return changes


def _display(record, field):
    if field.choices:
        return dict(field.flatchoices).get(getattr(record, field.attname), "")
    value = getattr(record, field.attname)
    return "" if value is None else value
