"""Abstract models every record of the tracker builds on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .dates import partial
from .visibility import Visibility, VisibleQuerySet


class TrackedModel(models.Model):
    """Timestamps, and dates stored at their precision."""

    # Pairs of (date field, precision field) on the concrete model.
    partial_date_fields = ()

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A month is stored as its first day, a year as 1 January: "March 2024" never
        # turns into "7 March 2024" because someone typed a day with month precision.
        for date_field, precision_field in self.partial_date_fields:
            value = partial(getattr(self, date_field), getattr(self, precision_field))
            if value is not None:
                setattr(self, date_field, value.date)
        super().save(*args, **kwargs)


class VisibleModel(TrackedModel):
    """A record about people at risk: it has a visibility level and can be flagged for review."""

    # Relations whose visibility this record inherits (a charge is no more visible than its case).
    visibility_via = ()

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

    objects = VisibleQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_visible_to(self, viewer):
        return type(self).objects.visible_to(viewer).filter(pk=self.pk).exists()
