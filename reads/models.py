"""Read counts of records' public pages, folded from the cache by ``reads.tasks``."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReadCount(models.Model):
    """How many times a record's public pages were read (both languages, crawlers left out)."""

    # The record's model, as its lower-case label ("cases.case"), and its id: any record type
    # can be counted without a foreign key to each.
    model = models.CharField(_("record type"), max_length=100)
    record_id = models.PositiveBigIntegerField(_("record id"))
    reads = models.PositiveBigIntegerField(_("reads"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "record_id"], name="unique_read_count"),
        ]
        verbose_name = _("read count")

    def __str__(self):
        return f"{self.model} #{self.record_id}: {self.reads}"
