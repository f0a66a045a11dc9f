"""Documents attached to sources: the files facts are taken from (#17).

A source (cases.Source) may have several files: the report, a verdict, a translation. Each
upload is a new row and a new file; a new version ``replaces`` the one before, which is kept.
A document has its own visibility, never more public than its source's, and is read, like
every record, only through the visibility gate (its source's level applies too).
"""

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import VisibleModel
from core.visibility import Visibility, VisibleQuerySet
from documents import detection
from documents.storage import get_storage, upload_to


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    # A scanned PDF: pages are pictures, there is no text to read without OCR.
    NO_TEXT_LAYER = "no_text_layer", _("no text layer")
    # Images and spreadsheets: nothing to extract.
    NOT_TEXT = "not_text", _("not a text document")
    FAILED = "failed", _("failed")


class DocumentQuerySet(VisibleQuerySet):
    def with_text(self):
        """Documents whose text was extracted and is not empty."""
        return self.filter(extraction_status=ExtractionStatus.DONE).exclude(text="")

    def newest_first(self):
        return self.order_by("-revision", "-uploaded_at", "-pk")


def _sha256(handle):
    digest = hashlib.sha256()
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
    handle.seek(0)
    return digest.hexdigest()


class Document(VisibleModel):
    visibility_via = ("source",)

    source = models.ForeignKey(
        "cases.Source",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("source"),
    )
    file = models.FileField(
        _("file"), storage=get_storage, upload_to=upload_to, max_length=200, editable=False
    )
    original_name = models.CharField(_("uploaded as"), max_length=255, editable=False)
    media_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        editable=False,
        db_index=True,
        help_text=_("Proves a copy is unaltered: compare it with the copy's own SHA-256."),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("new version of"),
        help_text=_("The earlier version this file replaces; that version is kept."),
    )
    revision = models.PositiveIntegerField(_("version"), default=1, editable=False)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    extraction_status = models.CharField(
        _("text extraction"),
        max_length=16,
        choices=ExtractionStatus.choices,
        default=ExtractionStatus.PENDING,
        editable=False,
        db_index=True,
    )
    extraction_error = models.TextField(_("extraction error"), blank=True, editable=False)
    extracted_at = models.DateTimeField(_("text extracted"), null=True, blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    # The extracted text is derived from the file, which never changes: no copy per version.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["source", "-revision", "-uploaded_at"]
        verbose_name = _("document")

    def versions_before(self, viewer):
        """How many earlier versions of this document ``viewer`` may see: following
        ``replaces`` back until one they may not. A public correction of a private first
        version names and counts nothing hidden. One query per earlier version."""
        visible = type(self).objects.visible_to(viewer)
        seen, earlier = 0, self.replaces_id
        while earlier:
            found = list(visible.filter(pk=earlier).values_list("replaces_id", flat=True))
            if not found:
                break
            seen, earlier = seen + 1, found[0]
        return seen

    def __str__(self):
        return f"{self.original_name} (v{self.revision})"

    @property
    def type_label(self):
        return detection.LABELS.get(self.media_type, self.media_type)

    @property
    def has_text_layer_type(self):
        return self.media_type in detection.TEXT_TYPES

    def clean_fields(self, exclude=None):
        # The extracted text is not typed by anyone: the limit on free text does not apply.
        super().clean_fields(exclude=[*(exclude or ()), "text"])

    def level_error(self):
        """The one rule on a document's level, for every write path: never more public than
        its source."""
        if self.source_id is None or self.visibility is None:
            return None
        source_level = (
            type(self)
            .source.field.related_model._base_manager.filter(pk=self.source_id)
            .values_list("visibility", flat=True)
            .first()
        )
        if source_level is not None and self.visibility < source_level:
            return ValidationError(
                {
                    "visibility": _(
                        "A document cannot be more visible than its source (%(level)s)."
                    )
                    % {"level": Visibility(source_level).label}
                },
                code="more_visible_than_source",
            )
        return None

    def clean(self):
        error = self.level_error()
        if error:
            raise error
        if self.replaces_id:
            if self.replaces_id == self.pk:
                raise ValidationError({"replaces": _("A document cannot replace itself.")})
            older = Document._base_manager.filter(pk=self.replaces_id).first()
            if older is not None and older.source_id != self.source_id:
                raise ValidationError(
                    {"replaces": _("A new version must belong to the same source.")}
                )

    def save(self, *args, **kwargs):
        error = self.level_error()
        if error:
            raise error
        upload = self.__dict__.pop("_upload", None)
        if upload is not None and not self.file:
            # A new name every time: an upload never overwrites another file.
            upload.seek(0)
            self.file.save(self._upload_name, upload, save=False)
        super().save(*args, **kwargs)

    # --- Making one from an upload --------------------------------------------------------------

    @classmethod
    def from_upload(cls, upload, **values):
        """An unsaved document for the uploaded file ``upload`` (any Django ``File``), its
        type, size and hash read from the content. Raises ValidationError on the ``file``
        field for a file too large or of a refused type."""
        limit = settings.DOCUMENTS_MAX_UPLOAD_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                {
                    "file": _("The file is larger than %(limit)s allowed.")
                    % {"limit": filesizeformat(limit)}
                },
                code="too_large",
            )
        if not upload.size:
            raise ValidationError({"file": _("The file is empty.")}, code="empty")
        detected = detection.detect(upload)
        if detected is None:
            raise ValidationError({"file": detection.REFUSED}, code="refused_type")
        document = cls(
            original_name=(upload.name or "document").rsplit("/", 1)[-1][:255],
            media_type=detected.media_type,
            size=upload.size,
            sha256=_sha256(upload),
            **values,
        )
        if document.replaces_id:
            older = cls._base_manager.filter(pk=document.replaces_id).first()
            document.revision = (older.revision + 1) if older else 1
        document.take_upload(upload, detected)
        return document

    def take_upload(self, upload, detected):
        """Keep ``upload`` to be written to storage by the next ``save()``."""
        self._upload = upload
        self._upload_name = "document" + detected.extension


def public_text_exists(source_ref="source_id"):
    """For an annotation on records that cite a source: whether that source (``source_ref``,
    an outer column) has a public document with text, so that /sources/<id>/text/ shows its
    paragraphs. One subquery in the records' own query, instead of a query per source."""
    documents = Document.objects.visible_to(Visibility.PUBLIC).with_text()
    return Exists(documents.filter(source=OuterRef(source_ref)))
