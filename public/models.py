"""What the public case list counts beside its filters, kept per case (public/facets.py): read
from the records through the visibility gate, and read again for a case only after it changed."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.visibility import Visibility


class FacetValue(models.Model):
    """One value a case has under one facet, and the lowest level that sees it there: its
    status and court, an article a visible charge cites, the category of a person visibly
    charged in it, a year something visible happened in it. What a level sees, every level
    above it sees too, so one row per value serves every level (``level <=`` the reader's).
    Derived data: never edited, never synced, rebuilt from the records at will."""

    # No foreign key in the database and no cascade: the rows of a deleted case stay until
    # the next refresh, which takes them off the totals as it deletes them.
    case = models.ForeignKey(
        "cases.Case", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    facet = models.CharField(_("facet"), max_length=10)
    value = models.CharField(_("value"), max_length=40)
    level = models.PositiveSmallIntegerField(
        _("lowest level that sees it"), choices=Visibility.choices
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "facet", "value"], name="unique_facet_value"),
        ]
        verbose_name = _("facet value")

    def __str__(self):
        return f"case {self.case_id}, level {self.level}: {self.facet} {self.value}"


class FacetStamp(models.Model):
    """The case's ``changed_monitors`` when its facet values were read. Every change to the
    case or to anything in it moves that column (core.models.ContainerModel: monitors see every
    change), so a stamp that differs from it marks the case's values as out of date."""

    # A stamp whose case is gone marks that case's rows for deletion (see FacetValue.case).
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    changed = models.DateTimeField(_("case changed at"))

    class Meta:
        verbose_name = _("facet stamp")

    def __str__(self):
        return f"case {self.case_id} read as of {self.changed}"


class FacetTotal(models.Model):
    """How many ``FacetValue`` rows hold one value at one level: the unfiltered case list's
    counts for a level are the sums over that level and those below it. Kept by the refresh
    that rewrites the rows (public/facets.py), in the same transaction."""

    facet = models.CharField(_("facet"), max_length=10)
    value = models.CharField(_("value"), max_length=40)
    level = models.PositiveSmallIntegerField(_("level"), choices=Visibility.choices)
    cases = models.PositiveIntegerField(_("cases"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["facet", "value", "level"], name="unique_facet_total"),
        ]
        verbose_name = _("facet total")

    def __str__(self):
        return f"{self.facet} {self.value}, level {self.level}: {self.cases}"
