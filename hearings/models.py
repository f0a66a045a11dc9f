"""What happens in court: hearings and the decisions they produce."""

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import CourtLevel, require_defendant_in_case
from core.dates import partial, precision_field
from core.models import CHANGED_COLUMNS, ContainerModel, ManyToManyHistory, VisibleModel
from core.visibility import VisibleQuerySet


class HearingKind(models.TextChoices):
    INVESTIGATION = "investigation", _("investigation")
    BAIL = "bail", _("bail")
    TRIAL = "trial", _("trial")
    VERDICT = "verdict", _("verdict")
    APPEAL = "appeal", _("appeal")
    SUPREME = "supreme", _("Supreme Court")
    OTHER = "other", _("other")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    POSTPONED = "postponed", _("postponed")
    CANCELLED = "cancelled", _("cancelled")


class HearingQuerySet(VisibleQuerySet):
    def ahead(self):
        """Hearings still to come, by the Phnom Penh calendar: what "upcoming" means, with no
        join and no order, for use in a subquery. A later day's hearing counts unless it was
        cancelled or postponed; today's only while it is still marked scheduled (once a
        monitor records it as held, it is no longer ahead)."""
        today = timezone.localdate()
        return self.filter(
            Q(date__gt=today) & ~Q(status__in=[HearingStatus.CANCELLED, HearingStatus.POSTPONED])
            | Q(date=today, status=HearingStatus.SCHEDULED)
        )

    def upcoming(self):
        """The hearings ``ahead()``, soonest first, with their case and court."""
        return self.ahead().select_related("case", "court").order_by("date", "time", "pk")


class Hearing(VisibleModel):
    visibility_via = ("case",)
    partial_date_fields = (("date", "date_precision"),)

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="hearings")
    court = models.ForeignKey(
        "cases.Court", on_delete=models.PROTECT, null=True, blank=True, related_name="hearings"
    )
    date = models.DateField(_("date"), db_index=True)
    date_precision = precision_field()
    time = models.TimeField(_("time"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=HearingKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=HearingStatus.choices, default=HearingStatus.HELD
    )
    monitored = models.BooleanField(_("monitored by us"), default=False)
    outcome = models.TextField(_("outcome"), blank=True)
    fair_trial_observations = models.TextField(_("fair-trial observations"), blank=True)
    # Monitors' own notes never leave the monitors' workspace, whatever the hearing's visibility.
    monitor_notes = models.TextField(_("monitor notes (monitors only)"), blank=True)
    citations = GenericRelation("cases.Citation")

    objects = HearingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "time", "id"]
        verbose_name = _("hearing")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.when}"

    @property
    def when(self):
        return partial(self.date, self.date_precision)

    # Hearings logged hours or weeks late are normal; years away is usually a typing mistake.
    PLAUSIBLE_PAST = datetime.timedelta(days=2 * 365)
    PLAUSIBLE_FUTURE = datetime.timedelta(days=365)

    @classmethod
    def unusual_date_warning(cls, date, today=None):
        """A message when ``date`` is far from today, else None. A warning, not an error:
        the monitor confirms it to save."""
        today = today or timezone.localdate()
        if date < today - cls.PLAUSIBLE_PAST:
            return _("This date is more than two years ago. Check it, or tick “The date is right”.")
        if date > today + cls.PLAUSIBLE_FUTURE:
            return _(
                "This date is more than a year from now. Check it, or tick “The date is right”."
            )
        return None


class DecisionKind(models.TextChoices):
    CONVICTION = "conviction", _("conviction")
    ACQUITTAL = "acquittal", _("acquittal")
    UPHELD = "upheld", _("conviction upheld")
    OVERTURNED = "overturned", _("conviction overturned")
    SENTENCE_CHANGED = "sentence_changed", _("sentence changed on appeal")
    BAIL_GRANTED = "bail_granted", _("bail granted")
    BAIL_DENIED = "bail_denied", _("bail denied")
    DETENTION_EXTENDED = "detention_extended", _("pretrial detention extended")
    CHARGES_DROPPED = "charges_dropped", _("charges dropped")
    DISMISSED = "dismissed", _("case dismissed")
    OTHER = "other", _("other")


# Decisions only a higher court can take.
APPELLATE_KINDS = frozenset(
    {DecisionKind.UPHELD, DecisionKind.OVERTURNED, DecisionKind.SENTENCE_CHANGED}
)
# Decisions that carry a sentence.
SENTENCING_KINDS = frozenset(
    {DecisionKind.CONVICTION, DecisionKind.UPHELD, DecisionKind.SENTENCE_CHANGED}
)


class Decision(ContainerModel):
    visibility_via = ("case", "defendant")
    visibility_link = ("cases.CaseDefendant", "case", "defendant")
    partial_date_fields = (("date", "date_precision"),)
    # What a monitors-level edit may not change while a lower level reads it: overturning or
    # rewriting a published decision waits for an Editor (core/publication.py).
    publication_fields = (
        "kind",
        "date",
        "date_precision",
        "court",
        "court_level",
        "prison_months",
        "suspended_months",
        "fined",
        "fine_riel",
        "political_rights_ban_years",
        "in_absentia",
    )

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="decisions")
    defendant = models.ForeignKey(
        "defendants.Defendant", on_delete=models.CASCADE, related_name="decisions"
    )
    hearing = models.ForeignKey(
        Hearing, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions"
    )
    court = models.ForeignKey(
        "cases.Court",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        help_text=_("Leave empty if no source names the court."),
    )
    court_level = models.CharField(_("court level"), max_length=20, choices=CourtLevel.choices)
    kind = models.CharField(_("decision"), max_length=20, choices=DecisionKind.choices)
    date = models.DateField(_("date"), db_index=True)
    date_precision = precision_field()
    charges = models.ManyToManyField(
        "cases.Charge",
        blank=True,
        related_name="decisions",
        help_text=_("The charges this decision rules on."),
    )
    prison_months = models.PositiveIntegerField(
        _("prison term (months)"), null=True, blank=True, validators=[MaxValueValidator(1200)]
    )
    suspended_months = models.PositiveIntegerField(
        _("of which suspended (months)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1200)],
    )
    fined = models.BooleanField(_("fined"), default=False)
    fine_riel = models.PositiveBigIntegerField(
        _("fine (riel)"), null=True, blank=True, help_text=_("Empty if the amount is not known.")
    )
    compensation_ordered = models.BooleanField(_("compensation ordered"), default=False)
    compensation_riel = models.PositiveBigIntegerField(
        _("compensation (riel)"), null=True, blank=True
    )
    compensation_to = models.CharField(_("compensation to"), max_length=300, blank=True)
    political_rights_ban_years = models.PositiveSmallIntegerField(
        _("ban on voting and standing for election (years)"), null=True, blank=True
    )
    in_absentia = models.BooleanField(_("in absentia"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    citations = GenericRelation("cases.Citation")

    history = ManyToManyHistory(
        m2m_fields=[charges], excluded_fields=list(CHANGED_COLUMNS.values())
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("decision")

    def __str__(self):
        return f"{self.get_kind_display()} — {self.when}"

    @property
    def when(self):
        return partial(self.date, self.date_precision)

    def clean(self):
        errors = {}
        if self.court_id and not self.court_level:
            self.court_level = self.court.level
        if self.court_id and self.court_level and self.court.level != self.court_level:
            errors["court_level"] = _("%(court)s is a %(level)s, not a %(chosen)s.") % {
                "court": self.court,
                "level": self.court.get_level_display(),
                "chosen": CourtLevel(self.court_level).label,
            }
        if self.kind in APPELLATE_KINDS and self.court_level == CourtLevel.FIRST_INSTANCE:
            errors["kind"] = _(
                "“%(kind)s” is an appeal decision: a court of first instance cannot take it. "
                "Record it at the Court of Appeal or the Supreme Court."
            ) % {"kind": DecisionKind(self.kind).label}
        if (
            self.prison_months is not None
            and self.suspended_months is not None
            and self.suspended_months > self.prison_months
        ):
            errors["suspended_months"] = _("More months are suspended than the prison term.")
        if self.compensation_riel is not None and not self.compensation_ordered:
            errors["compensation_ordered"] = _("An amount of compensation is given: tick it.")
        if self.fine_riel is not None and not self.fined:
            errors["fined"] = _("A fine amount is given: tick 'fined'.")
        if errors:
            raise ValidationError(errors)
        require_defendant_in_case(self)
        if self.pk:
            self.validate_charges(self.charges.all())

    def validate_charges(self, charges):
        """Refuse a decision dated before a charge it rules on was filed.

        Called by ``clean`` for a saved decision and by forms and serializers with the charges
        they are about to set.
        """
        when = self.when
        if when is None:
            return
        for charge in charges:
            if charge.case_id != self.case_id or charge.defendant_id != self.defendant_id:
                raise ValidationError(
                    {
                        "charges": _(
                            "“%(charge)s” is a charge against someone else or in another case."
                        )
                        % {"charge": charge}
                    }
                )
            filed = charge.filed
            if filed is not None and when.latest < filed.earliest:
                raise ValidationError(
                    {
                        "date": _(
                            "This decision (%(decision)s) is dated before the charge “%(charge)s” "
                            "was filed (%(filed)s)."
                        )
                        % {"decision": when, "charge": charge.label, "filed": filed}
                    }
                )


class SentReminder(models.Model):
    """A reminder or digest already emailed, so that a task run twice sends nothing twice."""

    key = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_reminders"
    )
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sent reminder")

    def __str__(self):
        return self.key
