"""Abstract models every record of the tracker builds on."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core import signals
from core.concurrency import EditConflict
from core.dates import partial
from core.visibility import MONITOR_ONLY_FIELDS, Visibility, VisibleQuerySet, level_for

# The longest free text any record keeps (a judgment's summary is a few thousand characters).
# Text columns are unbounded in the database; every write path (admin and other forms, the
# API, imports) validates the model, so the bound is checked here, once.
MAX_TEXT_LENGTH = 20_000


class TrackedModel(models.Model):
    """Timestamps, a version against lost updates, a full history, and dates stored at their
    precision.

    Each concrete model declares ``history = HistoricalRecords()``: django-simple-history then
    writes who, when and what on every ``save()`` and ``delete()``. ``QuerySet.update()`` and
    ``bulk_create()`` bypass it, so the code never uses them on these models.
    """

    # Pairs of (date field, precision field) on the concrete model.
    partial_date_fields = ()

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, expected_version=None, **kwargs):
        """Save; with ``expected_version``, refuse if someone saved a newer version since.

        Forms and serializers set ``expected_version`` (or the ``_expected_version``
        attribute) to the version they loaded.
        """
        # A month is stored as its first day, a year as 1 January: "March 2024" never
        # turns into "7 March 2024" because someone typed a day with month precision.
        for date_field, precision_field in self.partial_date_fields:
            value = partial(getattr(self, date_field), getattr(self, precision_field))
            if value is not None:
                setattr(self, date_field, value.date)
        if expected_version is None:
            expected_version = getattr(self, "_expected_version", None)
        if self._state.adding or self.pk is None:
            # One transaction for the record, its history and its change-feed entry
            # (exchange/changes.py), even where the caller opened none.
            with transaction.atomic():
                signals.before_write.send(sender=type(self), instance=self)
                super().save(*args, **kwargs)
            return
        with transaction.atomic():
            signals.before_write.send(sender=type(self), instance=self)
            current = (
                type(self)
                ._base_manager.select_for_update()
                .filter(pk=self.pk)
                .order_by()  # no default ordering: it may join tables FOR UPDATE cannot lock
                .values_list("version", flat=True)
                .first()
            )
            if (
                expected_version is not None
                and current is not None
                and int(expected_version) != current
            ):
                raise EditConflict(self, int(expected_version), current)
            self.version = (current or self.version) + 1
            super().save(*args, **kwargs)
        self._expected_version = None

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.TextField) or field.name in (exclude or ()):
                continue
            value = getattr(self, field.attname)
            if isinstance(value, str) and len(value) > MAX_TEXT_LENGTH and field.name not in errors:
                errors[field.name] = [
                    ValidationError(
                        _("At most %(limit)d characters (it has %(length)d)."),
                        code="max_length",
                        params={"limit": MAX_TEXT_LENGTH, "length": len(value)},
                    )
                ]
        if errors:
            raise ValidationError(errors)


class Certainty(models.TextChoices):
    """How firmly the sources back a value. Shown beside the value on pages and in the API."""

    REPORTED = "reported", _("as reported")
    # Worked out from what the sources say, not said by them (e.g. a status implied by events).
    INFERRED = "inferred", _("inferred")
    # Heard or believed, not yet backed by a source the tracker can cite.
    UNCONFIRMED = "unconfirmed", _("unconfirmed")


class VisibleModel(TrackedModel):
    """A record about people at risk: it has a visibility level and can be flagged for review."""

    # Relations whose visibility this record inherits (a charge is no more visible than its case).
    visibility_via = ()
    # For a fact about a pair of records (a charge of a person in a case): the model linking
    # the pair and the fields naming it, e.g. ("cases.CaseDefendant", "case", "defendant").
    # The fact is visible only while that link is (see ``VisibleQuerySet._gate``).
    visibility_link = None

    visibility = models.PositiveSmallIntegerField(
        _("visibility"),
        choices=Visibility.choices,
        # Safe by default: a new record is confidential until someone decides otherwise.
        default=Visibility.MONITORS,
        db_index=True,
    )
    needs_review = models.BooleanField(
        _("needs review"),
        default=False,
        help_text=_("Flag for a monitor to check this record against its sources."),
    )
    review_note = models.TextField(_("review note"), blank=True)
    certainty = models.CharField(
        _("certainty"),
        max_length=12,
        choices=Certainty.choices,
        default=Certainty.REPORTED,
        help_text=_("Mark a value the sources imply but do not state, or do not yet back."),
    )
    # The latest day a source (or a monitor's dated observation) confirms this record: a fact
    # is as old as its last confirmation. Derived from the record's citations, never typed.
    last_confirmed = models.DateField(
        _("last confirmed"), null=True, blank=True, editable=False, db_index=True
    )

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # What was read, so that a save can tell that the level changed (cases/citing.py).
        record._loaded_visibility = record.__dict__.get("visibility")
        return record

    def is_visible_to(self, viewer):
        return type(self).objects.visible_to(viewer).filter(pk=self.pk).exists()

    # This model's own fields that only monitors read, beside those every model shares
    # (MONITOR_ONLY_FIELDS): no API answer, export, feed or public page shows them (a link's
    # note, where a monitor observed something).
    monitors_only_fields = ()

    def field_levels(self, stored):
        """{field name: the lowest level that reads it}, for the fields that not every caller
        who sees the record reads: the monitors-only ones, and any a model hides further (a
        finding's note). ``stored`` is the row as saved before this change ({attname:
        value}). A change to these fields alone is a change for those levels alone
        (exchange/changes.py)."""
        hidden = MONITOR_ONLY_FIELDS.union(self.monitors_only_fields)
        return dict.fromkeys(hidden, Visibility.MONITORS)


# The column holding when a container record last changed as each level sees it
# (``ContainerModel``), by the viewer's level.
CHANGED_COLUMNS = {
    Visibility.PUBLIC: "changed_public",
    Visibility.PARTNERS: "changed_partners",
    Visibility.MONITORS: "changed_monitors",
}


class ChangedAtField(models.DateTimeField):
    """When a container changed as one level sees it (``ContainerModel``): its own save sets
    it to the same instant as ``updated_at``, so a record nothing nested in has changed shows
    every caller the same time."""

    def __init__(self, *args, **kwargs):
        kwargs["auto_now"] = True
        kwargs["db_index"] = True
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["auto_now"], kwargs["db_index"]
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        # ``updated_at`` is declared first (TrackedModel), so its own pre_save has just run.
        value = model_instance.updated_at or super().pre_save(model_instance, add)
        setattr(model_instance, self.attname, value)
        return value


class ContainerModel(VisibleModel):
    """A record whose API representation nests other records (a case nests its charges and
    hearings, a person their affiliations, a decision the charges it rules on): its
    ``updated_at``, as a caller sees it, moves when the record or anything nested in it that
    the caller may see changes.

    The record's own save sets every level's column (``auto_now``); a change to a nested record
    sets only the columns of the levels that see it, with ``QuerySet.update()``, in the
    transaction of that change (exchange/changes.py, from the nestings the registry declares).
    The API, its ``updated_since`` filter and ordering, and the exports read the column of the
    caller's level (``updated_column``), so a change a caller cannot see moves nothing that
    caller sees, and a change it can see moves the record it reads."""

    changed_public = ChangedAtField(_("changed as the public sees it"))
    changed_partners = ChangedAtField(_("changed as partners see it"))
    changed_monitors = ChangedAtField(_("changed as monitors see it"))

    class Meta:
        abstract = True

    @classmethod
    def touch(cls, pks, lowest, now=None):
        """Record that something nested in the records ``pks``, seen from level ``lowest`` up,
        changed now. One query."""
        now = now or timezone.now()
        columns = {column: now for level, column in CHANGED_COLUMNS.items() if level >= lowest}
        if pks and columns:
            cls._base_manager.filter(pk__in=pks).update(**columns)


def updated_column(model, viewer):
    """The column holding when a record of ``model`` last changed for ``viewer`` (a user or a
    level): the level's own column for a container (``ContainerModel``), else ``updated_at``."""
    if issubclass(model, ContainerModel):
        return CHANGED_COLUMNS[level_for(viewer)]
    return "updated_at"


def changed_now(model, now):
    """The columns a change of a record's own derived fields sets with ``update()``: its
    ``updated_at``, and for a container every level's column too."""
    columns = {"updated_at": now}
    if issubclass(model, ContainerModel):
        columns.update(dict.fromkeys(CHANGED_COLUMNS.values(), now))
    return columns


class PendingStatus(models.TextChoices):
    PENDING = "pending", _("waiting for publication")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class PendingChange(models.Model):
    """A change to a record that people below the writer's level can see, held until an Editor
    publishes it (core/publication.py decides which writes are held).

    The record itself is left as it was, so public pages, the API and exports go on showing
    what was published; ``changes`` holds the proposed field values as JSON (dates as ISO
    text). Publishing saves them on the record through its ``save()``, so the record gets a
    new version and a history entry naming the Editor who published.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    changes = models.JSONField(_("proposed values"))
    reason = models.TextField(_("reason"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PendingStatus.choices,
        default=PendingStatus.PENDING,
        db_index=True,
    )
    proposed_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decided_by = models.ForeignKey(
        "auth.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("change waiting for publication")
        verbose_name_plural = _("changes waiting for publication")

    def __str__(self):
        fields = ", ".join(sorted(self.changes))
        return f"{self.content_type.name} #{self.object_id}: {fields}"

    @property
    def record(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class ManyToManyHistory(HistoricalRecords):
    """History that also keeps a record's many-to-many rows (``m2m_fields``) with each
    version, as simple_history does, except on creation: a record being created has no such
    rows yet, so its first version is written without reading them (two queries and a copy of
    the record on every case or decision created)."""

    def create_historical_record_m2ms(self, history_instance, instance):
        if history_instance.history_type == "+":
            return
        super().create_historical_record_m2ms(history_instance, instance)
