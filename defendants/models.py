"""People charged, the organisations they belong to, and their custody."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import OffenceClass, require_defendant_in_case
from core import currency
from core.dates import partial, precision_field
from core.models import CHANGED_COLUMNS, ContainerModel, TrackedModel, VisibleModel
from core.visibility import ReferenceQuerySet, VisibleQuerySet
from defendants.detention import tally_detention


class OrganisationKind(models.TextChoices):
    PARTY = "party", _("political party")
    UNION = "union", _("trade union")
    ASSOCIATION = "association", _("association")
    MEDIA = "media", _("media outlet")
    OTHER = "other", _("other")


class Organisation(TrackedModel):
    name_en = models.CharField(_("name (English)"), max_length=300, unique=True)
    name_km = models.CharField(_("name (Khmer)"), max_length=300, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()

    # Served only while a visible affiliation names it (core/visibility.py).
    reference_uses = (("defendants.Affiliation", "organisation"),)
    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organisation")

    def __str__(self):
        return self.name_en


class Sex(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    UNKNOWN = "unknown", _("not recorded")


class Category(models.TextChoices):
    POLITICAL_ACTIVIST = "political_activist", _("political activist")
    HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("human rights defender")
    JOURNALIST = "journalist", _("journalist")
    UNION_LEADER = "union_leader", _("union leader or activist")
    ENVIRONMENTAL_ACTIVIST = "environmental_activist", _("environmental activist")
    LAND_ACTIVIST = "land_activist", _("land rights activist")
    COMMENTATOR = "commentator", _("social commentator")
    STUDENT_LEADER = "student_leader", _("student leader")
    OPPOSITION_LEADER = "opposition_leader", _("opposition leader")
    OTHER = "other", _("other")


class Defendant(ContainerModel):
    name = models.CharField(
        _("name (romanized)"),
        max_length=200,
        blank=True,
        db_index=True,
        help_text=_("Leave empty for a person the source counts but does not name."),
    )
    name_km = models.CharField(_("name (Khmer script)"), max_length=200, blank=True)
    aliases = models.CharField(
        _("other names and spellings"),
        max_length=500,
        blank=True,
        default="",
        db_default="",  # bulk loads (ops/synthetic.py) leave the column out
        help_text=_(
            "Other names the sources use for this person, and other romanisations, separated "
            "by commas: found by the search."
        ),
    )
    description = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("Who this is, for an unnamed person: 'one of three co-defendants …'."),
    )
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    province = models.ForeignKey(
        "cases.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="defendants",
    )
    organisations = models.ManyToManyField(
        Organisation, through="Affiliation", related_name="members"
    )
    citations = GenericRelation("cases.Citation")

    history = HistoricalRecords(excluded_fields=list(CHANGED_COLUMNS.values()))

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("defendant")

    def __str__(self):
        if self.name:
            return self.name
        return self.description or _("Unnamed defendant #%(id)s") % {"id": self.pk}

    @property
    def is_named(self):
        return bool(self.name)

    def clean(self):
        if not self.name and not self.description:
            raise ValidationError(
                {"description": _("An unnamed defendant needs a description of who they are.")}
            )

    def detention(self, as_of=None, periods=None):
        """Days held in detention up to ``as_of`` (default: today in Phnom Penh).

        Pass ``periods`` when they are already loaded (e.g. prefetched and filtered for
        visibility); otherwise every custody period of this person counts.
        """
        as_of = as_of or timezone.localdate()
        if periods is None:
            periods = self.custody_periods.all()
        return tally_detention(periods, as_of)


class Affiliation(VisibleModel):
    visibility_via = ("defendant",)

    defendant = models.ForeignKey(Defendant, on_delete=models.CASCADE, related_name="affiliations")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="affiliations"
    )
    role = models.CharField(_("role (English)"), max_length=300, blank=True)
    role_km = models.CharField(_("role (Khmer)"), max_length=300, blank=True)
    is_former = models.BooleanField(_("former"), default=False)
    citations = GenericRelation("cases.Citation")

    history = HistoricalRecords()

    class Meta:
        ordering = ["defendant_id", "is_former", "id"]
        verbose_name = _("affiliation")

    def __str__(self):
        role = f"{self.role}, " if self.role else ""
        return f"{role}{self.organisation}"


class CustodyKind(models.TextChoices):
    # An arrest the source reports without saying the person was then held: an event, never
    # counted as days in detention.
    ARREST = "arrest", _("arrested (no detention reported)")
    POLICE_CUSTODY = "police_custody", _("arrest and police custody")
    PRETRIAL_DETENTION = "pretrial_detention", _("pretrial detention")
    BAIL = "bail", _("released on bail")
    HOUSE_ARREST = "house_arrest", _("house arrest")
    IMPRISONMENT = "imprisonment", _("imprisonment")
    RELEASED = "released", _("released")


# The kinds that count as days in detention. House arrest and bail restrict liberty but are
# counted separately, as sources do.
DETENTION_KINDS = frozenset(
    {CustodyKind.POLICE_CUSTODY, CustodyKind.PRETRIAL_DETENTION, CustodyKind.IMPRISONMENT}
)


class CustodyPeriodQuerySet(VisibleQuerySet):
    def running_on(self, day):
        """Periods that had started by ``day`` and had not ended on it (the end day is free):
        closed ones ending later, and open ones confirmed recently enough to be called running
        on ``day`` (core/currency.py). An open period not confirmed since is "as last
        reported", not running."""
        return self.filter(start__lte=day).filter(
            models.Q(end__gt=day) | currency.open_and_current(day)
        )

    def open_as_last_reported(self, day):
        """Open periods begun by ``day`` that no current source confirms on ``day``."""
        return self.filter(start__lte=day, end__isnull=True).filter(currency.not_current(day))

    def detention(self):
        return self.filter(kind__in=DETENTION_KINDS)


class CustodyPeriod(VisibleModel):
    visibility_via = ("defendant", "case")
    visibility_link = ("cases.CaseDefendant", "case", "defendant")
    partial_date_fields = (("start", "start_precision"), ("end", "end_precision"))
    # What a monitors-level edit may not change while a lower level reads it (core/publication.py).
    publication_fields = ("kind", "start", "start_precision", "end", "end_precision")

    defendant = models.ForeignKey(
        Defendant, on_delete=models.CASCADE, related_name="custody_periods"
    )
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="custody_periods")
    kind = models.CharField(_("kind"), max_length=20, choices=CustodyKind.choices)
    start = models.DateField(_("start"))
    start_precision = precision_field(_("start precision"))
    end = models.DateField(
        _("end"), null=True, blank=True, help_text=_("Empty while the period is still running.")
    )
    end_precision = precision_field(_("end precision"))
    note = models.TextField(_("note"), blank=True)
    citations = GenericRelation("cases.Citation")

    objects = CustodyPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["defendant_id", "start", "id"]
        indexes = [models.Index(fields=["kind", "end"])]
        verbose_name = _("custody period")

    def __str__(self):
        # Never "now": an open period is only as current as its last confirmation.
        end = self.end_partial or _("no end reported")
        return f"{self.get_kind_display()}: {self.start_partial} – {end}"

    @property
    def start_partial(self):
        return partial(self.start, self.start_precision)

    @property
    def end_partial(self):
        return partial(self.end, self.end_precision)

    @property
    def is_detention(self):
        return self.kind in DETENTION_KINDS

    def periods_it_ends(self):
        """The open periods of this person in this case that this new period ends, the day it
        starts (``defendants.services.custody_period_start`` ends them).

        A period that had already ended before an open one began (an earlier period recorded
        late) ends nothing.
        """
        periods = CustodyPeriod.objects.filter(
            defendant_id=self.defendant_id, case_id=self.case_id, end__isnull=True
        )
        if self.pk is not None:
            periods = periods.exclude(pk=self.pk)
        if self.end is not None:
            periods = periods.exclude(start__gte=self.end_partial.date)
        return periods

    def clean(self):
        if self.start and self.end and self.end_partial.latest < self.start_partial.earliest:
            raise ValidationError(
                {
                    "end": _("This custody period ends (%(end)s) before it starts (%(start)s).")
                    % {"end": self.end_partial, "start": self.start_partial}
                }
            )
        require_defendant_in_case(self)
        if self._state.adding and self.start and self.case_id and self.defendant_id:
            for period in self.periods_it_ends():
                if self.start_partial.latest < period.start_partial.earliest:
                    raise ValidationError(
                        {
                            "start": _(
                                "This person's %(kind)s in this case began on %(began)s, after "
                                "this period starts (%(start)s), and is still open: a new "
                                "period ends the open ones the day it starts. Correct the dates."
                            )
                            % {
                                "kind": period.get_kind_display(),
                                "began": period.start_partial,
                                "start": self.start_partial,
                            }
                        }
                    )


class DetentionRule(TrackedModel):
    """How long the law lets someone be held before trial, stored as data with its source.

    The limit is ``base_months``, plus ``extension_months`` for each recorded extension up to
    ``max_extensions``, never more than ``max_total_months``; where
    ``max_fraction_of_minimum_sentence`` is set, never more than that fraction of the charged
    article's minimum prison term either.
    """

    name = models.CharField(_("name"), max_length=200)
    offence_class = models.CharField(
        _("offence class"), max_length=12, choices=OffenceClass.choices
    )
    for_minors = models.BooleanField(_("for minors"), default=False)
    base_months = models.PositiveSmallIntegerField(_("initial limit (months)"))
    extension_months = models.PositiveSmallIntegerField(_("each extension (months)"), default=0)
    max_extensions = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    max_total_months = models.PositiveSmallIntegerField(
        _("absolute limit (months)"), null=True, blank=True
    )
    max_fraction_of_minimum_sentence = models.DecimalField(
        _("at most this fraction of the minimum sentence"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
    )
    source = models.ForeignKey(
        "cases.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_note = models.TextField(_("legal basis"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["offence_class", "for_minors"]
        verbose_name = _("pretrial detention rule")
        constraints = [
            models.UniqueConstraint(
                fields=["offence_class", "for_minors"],
                condition=models.Q(is_active=True),
                name="one_active_rule_per_class",
            )
        ]

    def __str__(self):
        return self.name


class DetentionAlertKind(models.TextChoices):
    APPROACHING = "approaching", _("limit approaching")
    EXCEEDED = "exceeded", _("limit passed")


class DetentionAlert(TrackedModel):
    """One warning per person, rule, threshold and limit date: running the clock again
    creates nothing new."""

    defendant = models.ForeignKey(
        Defendant, on_delete=models.CASCADE, related_name="detention_alerts"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="detention_alerts"
    )
    rule = models.ForeignKey(DetentionRule, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=12, choices=DetentionAlertKind.choices)
    threshold_days = models.PositiveSmallIntegerField(
        _("warning threshold (days before the limit)"), default=0
    )
    limit_date = models.DateField(_("limit falls on"))
    days_held = models.PositiveIntegerField(_("days held when raised"))
    notified_at = models.DateTimeField(_("monitors emailed"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["limit_date", "pk"]
        verbose_name = _("detention alert")
        constraints = [
            models.UniqueConstraint(
                fields=["defendant", "rule", "kind", "threshold_days", "limit_date"],
                name="one_alert_per_threshold",
            )
        ]

    def __str__(self):
        return f"{self.defendant}: {self.get_kind_display()} ({self.limit_date})"
