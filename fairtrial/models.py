"""Fair-trial monitoring: what a monitor checks at a hearing, what they found, and what an
Editor concludes about a case.

The checklist is data, in versions. Answers point at the item of the version they were given
under, and the items of a version in use are read-only (``ChecklistItem.save``), so a new
version of the checklist never changes what an old answer says.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import require_defendant_in_case
from core.models import ManyToManyHistory, TrackedModel, VisibleModel
from core.visibility import Visibility, VisibleQuerySet, level_for
from hearings.models import Hearing


class Stage(models.TextChoices):
    BEFORE_TRIAL = "before_trial", _("before trial")
    HEARING = "hearing", _("at the hearing")
    JUDGMENT = "judgment", _("judgment")
    APPEAL = "appeal", _("appeal")


class ChecklistQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The checklist is published reference text: everyone reads every version."""
        return self


class ChecklistInUse(ValidationError):
    """A change to a checklist version that answers were already given under."""


class ChecklistVersion(TrackedModel):
    number = models.PositiveSmallIntegerField(_("version"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    introduced_on = models.DateField(_("introduced on"), null=True, blank=True)
    note = models.TextField(_("what changed"), blank=True)

    objects = ChecklistQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["number"]
        verbose_name = _("checklist version")

    def __str__(self):
        return f"{self.title} (v{self.number})"

    def in_use(self):
        """Whether any answer was given under this version."""
        return Answer.objects.filter(item__checklist_id=self.pk).exists()

    @classmethod
    def current(cls):
        """The newest version: the one new answers are given under."""
        return cls.objects.order_by("-number").first()


class ChecklistItem(TrackedModel):
    """One right a monitor checks, citing the standard it comes from."""

    checklist = models.ForeignKey(
        ChecklistVersion,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("checklist"),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("The same right keeps its code across versions, so figures can follow it."),
    )
    text_en = models.TextField(_("text (English)"))
    # Empty where no checked translation exists: the interface then says "English only".
    text_km = models.TextField(_("text (Khmer)"), blank=True)
    standard = models.CharField(
        _("standard"),
        max_length=300,
        help_text=_("The international standard it comes from, e.g. ICCPR art. 14(3)(b)."),
    )
    ccp_article = models.CharField(
        _("Cambodian Code of Criminal Procedure"),
        max_length=100,
        blank=True,
        help_text=_("Article number; leave empty unless it has been checked against the Code."),
    )

    objects = ChecklistQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["checklist__number", "position", "id"]
        verbose_name = _("checklist item")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "code"], name="checklist_item_code_unique")
        ]

    def __str__(self):
        return self.text_en

    @property
    def english_only(self):
        return not self.text_km

    @property
    def localised_text(self):
        """The right in the interface's current language: English where no checked Khmer
        text exists (``shown_in_english``)."""
        if self.text_km and get_language() == "km":
            return self.text_km
        return self.text_en

    @property
    def shown_in_english(self):
        return self.english_only and get_language() == "km"

    def refuse_if_in_use(self):
        versions = {self.checklist_id}
        if self.pk is not None:
            # An item moved out of its version changes that version too.
            saved = type(self)._base_manager.filter(pk=self.pk).values_list("checklist_id")
            versions.update(row[0] for row in saved)
        versions.discard(None)
        if Answer.objects.filter(item__checklist_id__in=versions).exists():
            raise ChecklistInUse(
                _(
                    "Answers were given under this version of the checklist: its items can no "
                    "longer change. Make a new version instead."
                ),
                code="in_use",
            )

    def clean(self):
        self.refuse_if_in_use()

    def save(self, *args, **kwargs):
        self.refuse_if_in_use()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.refuse_if_in_use()
        return super().delete(*args, **kwargs)


class Finding(models.TextChoices):
    RESPECTED = "respected", _("respected")
    VIOLATED = "violated", _("violated")
    PARTLY = "partly", _("partly respected")
    NOT_OBSERVED = "not_observed", _("could not observe")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class AnswerQuerySet(VisibleQuerySet):
    def with_items(self):
        return self.select_related("item", "item__checklist")


class Answer(VisibleModel):
    """What a monitor found about one right, at one hearing, for one defendant.

    The finding has the record's visibility. The note may name a witness or a lawyer's
    strategy: it has a level of its own (``note_visibility``, monitors only until an Editor
    publishes it), never lower than the finding's (``note_for``)."""

    visibility_via = ("case", "defendant", "hearing")
    visibility_link = ("cases.CaseDefendant", "case", "defendant")
    # Rewriting a published finding waits for an Editor (core/publication.py).
    publication_fields = ("finding", "note")

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="fair_trial_answers", editable=False
    )
    hearing = models.ForeignKey(
        "hearings.Hearing", on_delete=models.CASCADE, related_name="fair_trial_answers"
    )
    defendant = models.ForeignKey(
        "defendants.Defendant", on_delete=models.CASCADE, related_name="fair_trial_answers"
    )
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="answers")
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices)
    note = models.TextField(_("note"), blank=True)
    note_visibility = models.PositiveSmallIntegerField(
        _("note visibility"),
        choices=Visibility.choices,
        default=Visibility.MONITORS,
        help_text=_("A note may name a witness or a lawyer's strategy: monitors only by default."),
    )

    objects = AnswerQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["hearing_id", "defendant_id", "item__position", "id"]
        verbose_name = _("fair-trial answer")
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "defendant", "item"], name="fair_trial_answer_unique"
            )
        ]

    def __str__(self):
        return f"{self.item_id}: {self.get_finding_display()}"

    def note_for(self, viewer):
        """The note as ``viewer`` may read it: empty below its level (or the finding's)."""
        if level_for(viewer) >= max(self.note_visibility, self.visibility):
            return self.note
        return ""

    def field_levels(self, stored):
        # The note, and its level, are read only from the lower of its levels before and after.
        seen = min(stored["note_visibility"], self.note_visibility)
        return {**super().field_levels(stored), "note": seen, "note_visibility": seen}

    def _follow_the_hearing_and_the_finding(self):
        """An answer is about its hearing's case, always (the gate reads the case); and hiding
        a finding hides its note with it: hiding is never refused."""
        if self.hearing_id:
            cases = Hearing._base_manager.filter(pk=self.hearing_id).values_list("case_id")
            # An unknown hearing is the hearing field's own error (clean_fields), not ours.
            self.case_id = next((case for (case,) in cases), self.case_id)
        if self.pk is not None and None not in (self.visibility, self.note_visibility):
            stored = (
                type(self)._base_manager.filter(pk=self.pk).values_list("visibility", flat=True)
            )
            before = stored.first()
            if before is not None and self.visibility > before:
                self.note_visibility = max(self.note_visibility, self.visibility)

    def clean(self):
        self._follow_the_hearing_and_the_finding()
        levels = (self.note_visibility, self.visibility)
        if None not in levels and self.note_visibility < self.visibility:
            # Not tied to one field: a Monitor's form shows neither level as editable.
            raise ValidationError(_("The note cannot be more visible than the finding."))
        require_defendant_in_case(self)

    def save(self, *args, **kwargs):
        self._follow_the_hearing_and_the_finding()
        super().save(*args, **kwargs)


class Grade(models.TextChoices):
    """The documented scale of a fairness assessment (README, "Fair-trial monitoring")."""

    A = "A", _("A — fair: the standards were respected")
    B = "B", _("B — minor shortcomings that did not affect the outcome")
    C = "C", _("C — violations that may have affected the outcome")
    D = "D", _("D — serious violations that affected the outcome")
    F = "F", _("F — the trial denied the defendant a fair hearing")


class Assessment(VisibleModel):
    """An Editor's overall assessment of a case's fairness. Its versions are its history; it
    reaches readers through the same publication flow as every fact (core/publication.py)."""

    visibility_via = ("case",)
    publication_fields = ("grade", "summary", "assessed_on")

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="fairness_assessment"
    )
    grade = models.CharField(_("grade"), max_length=1, choices=Grade.choices)
    summary = models.TextField(_("reasoned summary"))
    assessed_on = models.DateField(_("assessed on"))
    weighed_items = models.ManyToManyField(
        ChecklistItem,
        blank=True,
        related_name="assessments",
        verbose_name=_("items that weighed most"),
    )

    history = ManyToManyHistory(m2m_fields=[weighed_items])

    class Meta:
        ordering = ["-assessed_on", "id"]
        verbose_name = _("fairness assessment")

    def __str__(self):
        return f"{self.case_id}: {self.grade}"
