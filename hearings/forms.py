from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Charge
from core.admin import VersionedForm, visibility_choice_field
from defendants.models import CustodyKind
from hearings.models import Decision, DecisionKind, Hearing


class HearingForm(VersionedForm):
    confirm_unusual_date = forms.BooleanField(
        label=_("The date is right"),
        required=False,
        help_text=_("Tick to save a date far in the past or the future."),
    )

    class Meta:
        model = Hearing
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        date = cleaned.get("date")
        if date and not cleaned.get("confirm_unusual_date"):
            warning = Hearing.unusual_date_warning(date)
            if warning:
                self.add_error("date", warning)
        return cleaned


class DecisionForm(VersionedForm):
    class Meta:
        model = Decision
        fields = "__all__"

    def _post_clean(self):
        super()._post_clean()
        # The charges a decision rules on are a many-to-many field, set after saving; check
        # their dates against the decision now, while the monitor can still correct them.
        charges = self.cleaned_data.get("charges")
        if charges is not None and self.instance.case_id and self.instance.defendant_id:
            try:
                self.instance.validate_charges(charges)
            except ValidationError as error:
                self._update_errors(error)


NO_CUSTODY_CHANGE = ""


class LogHearingForm(HearingForm):
    """The hearing part of "Log a hearing": what happened, when, where."""

    field_order = ["date", "date_precision", "confirm_unusual_date", "time", "court", "kind"]

    class Meta:
        model = Hearing
        fields = [
            "date",
            "date_precision",
            "time",
            "court",
            "kind",
            "status",
            "monitored",
            "outcome",
            "fair_trial_observations",
            "monitor_notes",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}),
            "time": forms.TimeInput(attrs={"type": "time"}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
            "fair_trial_observations": forms.Textarea(attrs={"rows": 3}),
            "monitor_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, case, can_set_visibility, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("loaded_version")
        if case.court_id and not self.is_bound:
            self.initial.setdefault("court", case.court_id)
        if can_set_visibility:
            self.fields["visibility"] = visibility_choice_field(_("Who may see what you log"))


class DefendantOutcomeForm(forms.Form):
    """What the hearing decided for one defendant, and how their custody changed."""

    decision_kind = forms.ChoiceField(
        label=_("Decision"),
        required=False,
        choices=[("", _("— no decision for this person —")), *DecisionKind.choices],
    )
    charges = forms.ModelMultipleChoiceField(
        label=_("Charges it rules on"),
        queryset=Charge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    prison_months = forms.IntegerField(label=_("Prison (months)"), required=False, min_value=0)
    suspended_months = forms.IntegerField(
        label=_("of which suspended (months)"), required=False, min_value=0
    )
    fine_riel = forms.IntegerField(label=_("Fine (riel)"), required=False, min_value=0)
    political_rights_ban_years = forms.IntegerField(
        label=_("Ban on elections (years)"), required=False, min_value=0
    )
    in_absentia = forms.BooleanField(label=_("In absentia"), required=False)
    custody = forms.ChoiceField(
        label=_("Custody from this date"),
        required=False,
        choices=[
            (NO_CUSTODY_CHANGE, _("— no change —")),
            (CustodyKind.BAIL, _("released on bail (ends detention)")),
            (CustodyKind.RELEASED, _("released")),
            (CustodyKind.PRETRIAL_DETENTION, _("placed in pretrial detention")),
            (CustodyKind.IMPRISONMENT, _("imprisoned")),
            (CustodyKind.HOUSE_ARREST, _("placed under house arrest")),
        ],
    )

    def __init__(self, *args, defendant, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.defendant = defendant
        self.fields["charges"].queryset = Charge.objects.filter(
            case=case, defendant=defendant
        ).select_related("article")

    def clean(self):
        cleaned = super().clean()
        has_details = any(
            cleaned.get(name) not in (None, "", False)
            for name in (
                "prison_months",
                "suspended_months",
                "fine_riel",
                "political_rights_ban_years",
            )
        )
        if has_details and not cleaned.get("decision_kind"):
            raise ValidationError(_("Choose the decision these details belong to."))
        return cleaned

    def decision(self, court):
        """An unsaved Decision from this form, or None if no decision was chosen."""
        data = self.cleaned_data
        if not data.get("decision_kind"):
            return None
        return Decision(
            defendant=self.defendant,
            kind=data["decision_kind"],
            court=court,
            court_level=court.level if court else "",
            prison_months=data.get("prison_months"),
            suspended_months=data.get("suspended_months"),
            fined=data.get("fine_riel") is not None,
            fine_riel=data.get("fine_riel"),
            political_rights_ban_years=data.get("political_rights_ban_years"),
            in_absentia=data.get("in_absentia", False),
        )
