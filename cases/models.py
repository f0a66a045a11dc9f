"""Laws, courts, sources and the cases themselves."""

import re

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import partial, precision_field
from core.models import (
    CHANGED_COLUMNS,
    ContainerModel,
    ManyToManyHistory,
    TrackedModel,
    VisibleModel,
)
from core.visibility import ReferenceQuerySet, Visibility, VisibleQuerySet, level_for

__all__ = [
    "Article",
    "Case",
    "CaseDefendant",
    "Charge",
    "Citation",
    "Court",
    "Law",
    "Province",
    "ReportedFigure",
    "SeedRecord",
    "Source",
    "Tag",
    "Visibility",
]


def reads_khmer():
    """Whether the page being made is in Khmer (a /km/ page, or a Khmer admin)."""
    return (translation.get_language() or "").startswith("km")


def in_reader_language(english, khmer):
    """The Khmer text on Khmer pages (and in a Khmer admin) when there is one, else the
    English: a name is data, not an interface string, so gettext cannot translate it."""
    return khmer if khmer and reads_khmer() else english


class Province(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=100, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("province")

    def __str__(self):
        return in_reader_language(self.name_en, self.name_km)


class Law(TrackedModel):
    title_en = models.CharField(_("title (English)"), max_length=300, unique=True)
    title_km = models.CharField(_("title (Khmer)"), max_length=300, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(_("year adopted"), null=True, blank=True)

    history = HistoricalRecords()

    # Served only while an article of it is shown (core/visibility.py).
    reference_uses = (("cases.Article", "law"),)
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["title_en"]
        verbose_name = _("law")

    def __str__(self):
        return self.short_name or self.title_en


class OffenceClass(models.TextChoices):
    FELONY = "felony", _("felony")
    MISDEMEANOUR = "misdemeanour", _("misdemeanour")
    PETTY = "petty", _("petty offence")
    UNKNOWN = "unknown", _("not recorded")


# The seriousness order used to find a defendant's most serious charge.
OFFENCE_SERIOUSNESS = {
    OffenceClass.FELONY: 3,
    OffenceClass.MISDEMEANOUR: 2,
    OffenceClass.PETTY: 1,
    OffenceClass.UNKNOWN: 0,
}

_ARTICLE_NUMBER = re.compile(r"^(\d+)\s*(?:\(?\s*([a-z]+)\s*\)?)?$", re.IGNORECASE)


def normalise_article_number(text):
    """'437 (bis)', '437bis' and '437 bis' all name article '437 bis'."""
    match = _ARTICLE_NUMBER.match(text.strip())
    if not match:
        return text.strip()
    number, suffix = match.groups()
    return f"{int(number)} {suffix.lower()}" if suffix else str(int(number))


class Article(TrackedModel):
    law = models.ForeignKey(Law, on_delete=models.PROTECT, related_name="articles")
    number = models.CharField(
        _("article number"),
        max_length=20,
        help_text=_("As text: '494', '437 bis'."),
    )
    number_sort = models.PositiveIntegerField(editable=False, default=0)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_km = models.CharField(_("title (Khmer)"), max_length=300, blank=True)
    offence_class = models.CharField(
        _("offence class"),
        max_length=12,
        choices=OffenceClass.choices,
        default=OffenceClass.UNKNOWN,
    )
    penalty_min_months = models.PositiveIntegerField(
        _("minimum prison term (months)"), null=True, blank=True
    )
    penalty_max_months = models.PositiveIntegerField(
        _("maximum prison term (months)"), null=True, blank=True
    )
    fine_min_riel = models.PositiveBigIntegerField(_("minimum fine (riel)"), null=True, blank=True)
    fine_max_riel = models.PositiveBigIntegerField(_("maximum fine (riel)"), null=True, blank=True)
    citations = GenericRelation("cases.Citation")

    history = HistoricalRecords()

    # Served only while a visible charge cites it (core/visibility.py).
    reference_uses = (("cases.Charge", "article"),)
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["law__title_en", "number_sort", "number"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number"], name="unique_article_per_law"),
        ]
        verbose_name = _("article")

    def __str__(self):
        return f"{self.law} art. {self.number}"

    @property
    def title(self):
        """The article's title in the reader's language (English when no Khmer title)."""
        return in_reader_language(self.title_en, self.title_km)

    def clean(self):
        self.number = normalise_article_number(self.number)
        if (
            self.penalty_min_months is not None
            and self.penalty_max_months is not None
            and self.penalty_min_months > self.penalty_max_months
        ):
            raise ValidationError(
                {"penalty_max_months": _("The maximum prison term is shorter than the minimum.")}
            )
        if (
            self.fine_min_riel is not None
            and self.fine_max_riel is not None
            and self.fine_min_riel > self.fine_max_riel
        ):
            raise ValidationError(
                {"fine_max_riel": _("The maximum fine is lower than the minimum.")}
            )

    def save(self, *args, **kwargs):
        self.number = normalise_article_number(self.number)
        leading = re.match(r"\d+", self.number)
        self.number_sort = int(leading.group()) if leading else 0
        super().save(*args, **kwargs)


class CourtLevel(models.TextChoices):
    FIRST_INSTANCE = "first_instance", _("court of first instance")
    APPEAL = "appeal", _("court of appeal")
    SUPREME = "supreme", _("Supreme Court")


class Court(TrackedModel):
    name_en = models.CharField(_("name (English)"), max_length=200, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=CourtLevel.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="courts"
    )

    history = HistoricalRecords()

    # Served only while a visible case, hearing or decision names it (core/visibility.py).
    reference_uses = (
        ("cases.Case", "court"),
        ("hearings.Hearing", "court"),
        ("hearings.Decision", "court"),
    )
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["level", "name_en"]
        verbose_name = _("court")

    def __str__(self):
        return in_reader_language(self.name_en, self.name_km)


class Tag(models.Model):
    slug = models.SlugField(unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_km = models.CharField(_("name (Khmer)"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("tag")

    def __str__(self):
        return in_reader_language(self.name_en, self.name_km)


class SourceKind(models.TextChoices):
    DOCUMENT = "document", _("document")
    # A monitor's own observation: who saw it, when and where. Monitors only by default.
    OBSERVATION = "observation", _("monitor's observation")


class Source(VisibleModel):
    """A document that facts are taken from: a report, a judgment, a monitor's note."""

    partial_date_fields = (("date", "date_precision"),)
    # A monitor's own remarks on the source and where they observed: the workspace's alone.
    monitors_only_fields = ("note", "observer", "place")

    title = models.CharField(_("title"), max_length=500)
    short_title = models.CharField(
        _("short title"),
        max_length=120,
        blank=True,
        help_text=_("How pages cite it, e.g. '2024 UN Secretary-General report on Cambodia'."),
    )
    symbol = models.CharField(_("document symbol"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher or body"), max_length=300, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = precision_field()
    url = models.URLField(_("URL"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=SourceKind.choices, default=SourceKind.DOCUMENT
    )
    covers_from = models.DateField(
        _("covers events from"),
        null=True,
        blank=True,
        help_text=_("The first day of the period the source reports on, if it says."),
    )
    covers_until = models.DateField(
        _("covers events until"),
        null=True,
        blank=True,
        help_text=_("The last day of the period the source reports on: what it confirms."),
    )
    paragraph_count = models.PositiveIntegerField(
        _("numbered paragraphs"),
        null=True,
        blank=True,
        help_text=_(
            "How many numbered paragraphs the document has: no citation may name a higher one."
        ),
    )
    # A monitor's own observation: who saw it and where (when is ``date``).
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="observations",
        verbose_name=_("observed by"),
    )
    place = models.CharField(_("place observed"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "title"]
        verbose_name = _("source")

    def __str__(self):
        return self.short_title or self.symbol or self.title

    @property
    def partial_date(self):
        return partial(self.date, self.date_precision)

    def text_document(self, viewer=Visibility.PUBLIC):
        """The newest of this source's documents (documents/) whose text ``viewer`` may read,
        or None; looked up once per source object and level."""
        level = level_for(viewer)
        found = self.__dict__.setdefault("_text_documents", {})
        if level not in found:
            found[level] = self.documents.visible_to(level).with_text().newest_first().first()
        return found[level]

    def paragraph_url(self, paragraph="", viewer=Visibility.PUBLIC):
        """``/sources/<id>/text/#para-39`` for "39" (the first number of "39-40"), or the text
        page itself without a paragraph: where the source's text shows it, when a document
        with text is public (or visible to ``viewer``); "" when there is none. A source read
        with the ``has_public_text`` flag (cases.selectors: one subquery for a page's
        citations) costs no query; otherwise one per source object and level."""
        if not self._has_text_for(viewer):
            return ""
        page = reverse("source-text", args=[self.pk])
        match = _PARAGRAPH_NUMBERS.search(str(paragraph or ""))
        return f"{page}#para-{int(match.group())}" if match else page

    def _has_text_for(self, viewer):
        known = getattr(self, "has_public_text", None)
        if known is not None and level_for(viewer) == Visibility.PUBLIC:
            return known
        return self.text_document(viewer) is not None


_PARAGRAPH_NUMBERS = re.compile(r"\d+")


def check_paragraph(source, paragraph, field="paragraph"):
    """Refuse a paragraph the source does not have: "40", "40-41" and "40, 42" name
    paragraphs 40, 41 and 42, each of which must be within the source's count (when known).
    A document must be cited to a paragraph once its paragraphs are counted."""
    count = source.paragraph_count
    if not count:
        return
    numbers = [int(n) for n in _PARAGRAPH_NUMBERS.findall(paragraph or "")]
    if not numbers:
        raise ValidationError({field: _("Name the paragraph that says it.")})
    beyond = [n for n in numbers if n < 1 or n > count]
    if beyond:
        raise ValidationError(
            {
                field: _("%(source)s has paragraphs 1 to %(count)d; there is no paragraph %(n)d.")
                % {"source": source, "count": count, "n": beyond[0]}
            }
        )


class Citation(VisibleModel):
    """A fact's source: which document, which paragraph. A fact may have several."""

    visibility_via = ("source",)

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    note = models.CharField(
        _("what it supports"),
        max_length=300,
        blank=True,
        help_text=_("Optional: the field or detail this citation supports."),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "paragraph"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("citation")

    def clean(self):
        if self.source_id:
            check_paragraph(self.source, self.paragraph)

    def __str__(self):
        if self.paragraph:
            return _("%(source)s, para. %(paragraph)s") % {
                "source": self.source,
                "paragraph": self.paragraph,
            }
        return str(self.source)


class CaseStatus(models.TextChoices):
    INVESTIGATION = "investigation", _("under investigation")
    PRETRIAL = "pretrial", _("awaiting trial")
    TRIAL = "trial", _("on trial")
    DECIDED = "decided", _("decided at first instance")
    APPEAL = "appeal", _("on appeal")
    SUPREME = "supreme", _("at the Supreme Court")
    FINAL = "final", _("final")
    DISMISSED = "dismissed", _("dismissed")


class Case(ContainerModel):
    # What a monitors-level edit may not change while a lower level reads it: a published
    # case's status changes when an Editor publishes it (core/publication.py).
    publication_fields = ("status", "status_as_of", "court")

    title = models.CharField(_("title"), max_length=300)
    title_km = models.CharField(_("title (Khmer)"), max_length=300, blank=True)
    court = models.ForeignKey(
        Court,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text=_("The court where the case stands now. Leave empty if no source names it."),
    )
    case_number = models.CharField(_("case number"), max_length=100, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices)
    status_as_of = models.DateField(
        _("status as of"),
        null=True,
        blank=True,
        help_text=_("The date the status was last known to be true."),
    )
    summary = models.TextField(_("summary (English)"), blank=True)
    summary_km = models.TextField(_("summary (Khmer)"), blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="cases")
    defendant_count_is_minimum = models.BooleanField(
        _("defendant count is a minimum"),
        default=False,
        help_text=_("The source says 'at least' this many people were charged."),
    )
    assigned_monitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_cases"
    )
    defendants = models.ManyToManyField(
        "defendants.Defendant", through="CaseDefendant", related_name="cases"
    )
    citations = GenericRelation(Citation)

    history = ManyToManyHistory(
        m2m_fields=[tags, assigned_monitors], excluded_fields=list(CHANGED_COLUMNS.values())
    )

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["status", "visibility"]),
            # The public case list's order: its first page is read off the index, not sorted.
            models.Index(fields=["title", "id"], name="case_title_order"),
        ]
        verbose_name = _("case")
        # Permissions that span every kind of record; granted to Editors and Admins.
        permissions = [
            ("change_visibility", _("Can change who may see records")),
            ("import_export_records", _("Can import and export records")),
        ]

    def __str__(self):
        return self.title


class CaseDefendantQuerySet(VisibleQuerySet):
    def links(self, case_id, defendant_id):
        """The link that makes this person a defendant in this case, if there is one."""
        return self.filter(case_id=case_id, defendant_id=defendant_id)


def require_defendant_in_case(record):
    """Refuse a record (a charge, decision or custody period) about a person in a case they
    are not a defendant in. Every such record's ``clean()`` calls this."""
    if (
        record.case_id
        and record.defendant_id
        and not CaseDefendant.objects.links(record.case_id, record.defendant_id).exists()
    ):
        raise ValidationError(
            {"defendant": _("This person is not a defendant in this case. Add them first.")}
        )


class CaseDefendant(VisibleModel):
    """A person's place in a case, whether or not the charges against them are known."""

    visibility_via = ("case", "defendant")
    monitors_only_fields = ("note",)  # the monitors' own: no API answer or page shows it

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    defendant = models.ForeignKey(
        "defendants.Defendant", on_delete=models.CASCADE, related_name="case_links"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    citations = GenericRelation(Citation)

    objects = CaseDefendantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "defendant"], name="unique_case_defendant"),
        ]
        verbose_name = _("defendant in case")
        verbose_name_plural = _("defendants in cases")

    def __str__(self):
        return f"{self.defendant} — {self.case}"


class ChargeStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    CONVICTED = "convicted", _("convicted")
    ACQUITTED = "acquitted", _("acquitted")
    DROPPED = "dropped", _("dropped")
    OVERTURNED = "overturned", _("overturned")


class Charge(VisibleModel):
    visibility_via = ("case", "defendant")
    visibility_link = ("cases.CaseDefendant", "case", "defendant")
    partial_date_fields = (("date_filed", "date_filed_precision"),)

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="charges")
    defendant = models.ForeignKey(
        "defendants.Defendant", on_delete=models.CASCADE, related_name="charges"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="charges",
        help_text=_("Empty when the source names the offence but not the article."),
    )
    article_as_cited = models.CharField(
        _("article as cited"),
        max_length=50,
        blank=True,
        help_text=_("Exactly as the source writes it, e.g. '437 (bis)'."),
    )
    label = models.CharField(
        _("charge as reported"),
        max_length=300,
        help_text=_("The offence in the source's words, e.g. 'incitement to discriminate'."),
    )
    date_filed = models.DateField(_("date filed"), null=True, blank=True)
    date_filed_precision = precision_field(_("date filed precision"))
    status = models.CharField(
        _("status"), max_length=12, choices=ChargeStatus.choices, default=ChargeStatus.PENDING
    )
    citations = GenericRelation(Citation)

    history = HistoricalRecords()

    class Meta:
        ordering = ["case_id", "defendant_id", "article__number_sort", "id"]
        verbose_name = _("charge")

    def __str__(self):
        article = f" (art. {self.article.number})" if self.article_id else ""
        return f"{self.label}{article}"

    @property
    def filed(self):
        return partial(self.date_filed, self.date_filed_precision)

    def clean(self):
        require_defendant_in_case(self)


class ReportedFigure(VisibleModel):
    """A figure a source reports that belongs to the picture but not to one case
    (for example, how many hearings were monitored during a reporting period)."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="figures")
    paragraph = models.CharField(_("paragraph"), max_length=20, blank=True)
    label = models.CharField(_("what is counted (English)"), max_length=300)
    label_km = models.CharField(_("what is counted (Khmer)"), max_length=300, blank=True)
    value = models.PositiveIntegerField(_("value"), validators=[MinValueValidator(0)])
    is_minimum = models.BooleanField(_("'at least' this many"), default=False)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("period end"), null=True, blank=True)

    visibility_via = ("source",)

    history = HistoricalRecords()

    class Meta:
        ordering = ["source_id", "paragraph"]
        verbose_name = _("reported figure")

    def __str__(self):
        prefix = _("at least ") if self.is_minimum else ""
        return f"{prefix}{self.value} {self.label}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class SeedRecord(models.Model):
    """A record written by a seed file (`manage.py seed_report`), and what the seed last wrote.

    When a field's current value no longer matches what ``written`` says the seed wrote, a
    person has edited it since, and the next seed run leaves the record alone instead of
    overwriting the edit.
    """

    key = models.CharField(_("seed key"), max_length=255, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    written = models.JSONField(
        _("values written"),
        default=dict,
        help_text=_("The values the seed last wrote to the record, field by field."),
    )
    seeded_at = models.DateTimeField(_("last written by the seed"), auto_now=True)

    class Meta:
        ordering = ["key"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = _("seed record")

    def __str__(self):
        return self.key


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ExportJob(models.Model):
    """A bulk export run in the background; the file is downloadable when done.

    The job remembers whose eyes it exports for (a visibility level), fixed when requested.
    """

    export_type = models.CharField(_("what"), max_length=40)
    export_format = models.CharField(_("format"), max_length=10)
    level = models.PositiveSmallIntegerField(_("visibility level"), choices=Visibility.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        "partners.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    rows_done = models.PositiveIntegerField(_("records written"), default=0)
    rows_total = models.PositiveIntegerField(_("records to write"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("export")

    def __str__(self):
        return f"{self.export_type}.{self.export_format} ({self.get_status_display()})"

    @property
    def progress(self):
        """0 to 100, or None before the total is known."""
        if not self.rows_total:
            return 100 if self.status == ExportStatus.DONE else None
        return min(100, round(100 * self.rows_done / self.rows_total))


class ChangeCounter(models.Model):
    """The change counters: one row per visibility level, whose value grows by one after
    every committed change to the tracker's records that level can see, and one moved only by
    data written past the change feed. What cached reads are keyed on (core/caching.py), so
    that no cached answer outlives the data it was computed from."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("change counter")

    def __str__(self):
        return str(self.value)
