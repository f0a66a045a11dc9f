"""The fair-trial checklist in "Log a hearing": one small form per defendant and item."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.admin import visibility_choice_field
from core.visibility import Visibility
from fairtrial.models import Answer, ChecklistVersion, Finding, Stage


class ChecklistAnswerForm(forms.Form):
    """What a monitor found about one right for one defendant. Left blank, it records nothing.

    The form reads the input; whether the answer may be saved (its levels, its person, the
    length of its note) is the model's rule, checked by ``Answer.full_clean`` when the
    service saves it (fairtrial/services.py)."""

    finding = forms.ChoiceField(
        label=_("Finding"),
        choices=Finding.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("Note (optional)")}),
    )

    def __init__(self, *args, defendant, item, can_set_visibility, **kwargs):
        kwargs.setdefault("prefix", f"a{defendant.pk}-{item.pk}")
        super().__init__(*args, **kwargs)
        self.defendant = defendant
        self.item = item
        # Publishing a note is publishing: only those who may change visibility choose its
        # level (as on the admin page and in the API). For everyone else it stays monitors-only
        # and whatever is posted for it is never read.
        if can_set_visibility:
            # Not sent (an unanswered item, an older page): monitors only.
            self.fields["note_visibility"] = visibility_choice_field(
                _("Who may read the note"), required=False, empty_value=Visibility.MONITORS
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("note") and not cleaned.get("finding"):
            raise ValidationError(_("Choose a finding for this note, or clear the note."))
        return cleaned

    def add_model_error(self, error):
        """Show what ``Answer.full_clean`` refused: under the field it names where this form
        has it, else above the answer."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)

    @property
    def answered(self):
        """Whether the posted form chose a finding (before or without validation)."""
        return self.is_bound and bool(self.data.get(self.add_prefix("finding")))

    def answer(self):
        """An unsaved Answer from this form, or None if no finding was chosen."""
        data = self.cleaned_data
        if not data.get("finding"):
            return None
        answer = Answer(
            defendant=self.defendant,
            item=self.item,
            finding=data["finding"],
            note=data.get("note", ""),
        )
        if "note_visibility" in self.fields:
            answer.note_visibility = data["note_visibility"]
        return answer


@dataclass
class ChecklistItemRow:
    item: object
    forms: list


@dataclass
class ChecklistStage:
    """The items of one stage, each with a form per defendant, as the page groups them."""

    value: str
    label: str
    rows: list = field(default_factory=list)

    @property
    def forms(self):
        return [form for row in self.rows for form in row.forms]

    @property
    def total(self):
        return len(self.forms)

    @property
    def answered(self):
        return sum(form.answered for form in self.forms)

    @property
    def has_errors(self):
        return any(form.errors for form in self.forms)


class HearingChecklist:
    """The current checklist for every defendant of a case, grouped by stage."""

    def __init__(self, data, *, defendants, can_set_visibility, version=None):
        self.version = version if version is not None else ChecklistVersion.current()
        items = list(self.version.items.order_by("position", "id")) if self.version else []
        stages = {value: ChecklistStage(value, label) for value, label in Stage.choices}
        self.forms = []
        for item in items:
            row = ChecklistItemRow(item, [])
            for defendant in defendants:
                form = ChecklistAnswerForm(
                    data,
                    defendant=defendant,
                    item=item,
                    can_set_visibility=can_set_visibility,
                )
                row.forms.append(form)
                self.forms.append(form)
            if row.forms:
                stages[item.stage].rows.append(row)
        self.stages = [stage for stage in stages.values() if stage.rows]

    def is_valid(self):
        # Every form, not up to the first bad one: the page shows all the errors at once.
        valid = [form.is_valid() for form in self.forms]
        return all(valid)

    def answers(self):
        """The unsaved answers of the forms that chose a finding."""
        answers = (form.answer() for form in self.forms)
        return [answer for answer in answers if answer is not None]

    def form_for(self, answer):
        return next(
            form
            for form in self.forms
            if (form.defendant.pk, form.item.pk) == (answer.defendant_id, answer.item_id)
        )
