"""The source part of every form that creates facts (cases/citing.py)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.citing import CitationRequest, Observation
from cases.models import Source, SourceKind


class CitationForm(forms.Form):
    """Where what is being logged comes from: a document and paragraph, or the monitor's own
    observation (who is the logged-in monitor; when and where are asked)."""

    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.filter(kind=SourceKind.DOCUMENT),
        required=False,
        help_text=_("The document that says it."),
    )
    paragraph = forms.CharField(
        label=_("Paragraph"),
        max_length=20,
        required=False,
        help_text=_("The paragraph of the source that says it, e.g. 40."),
    )
    own_observation = forms.BooleanField(
        label=_("My own observation"),
        required=False,
        help_text=_("Tick if you saw it yourself instead of reading it in a source."),
    )
    observed_on = forms.DateField(
        label=_("Observed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    observed_at = forms.CharField(label=_("Observed at (place)"), max_length=300, required=False)
    reason = forms.CharField(
        label=_("Why you log this"),
        max_length=80,
        required=False,
        help_text=_("Kept in the case history with your name and the source."),
    )

    # Which form field shows each of CitationRequest.check()'s messages.
    ERROR_FIELDS = {"source": "source", "paragraph": "paragraph", "place": "observed_at"}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.initial.setdefault("observed_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if cleaned.get("own_observation"):
            if cleaned.get("source"):
                raise ValidationError(_("Cite either a source or your own observation, not both."))
            request = CitationRequest(
                observation=Observation(
                    observer=self.user,
                    date=cleaned.get("observed_on") or timezone.localdate(),
                    place=cleaned.get("observed_at", ""),
                )
            )
        else:
            request = CitationRequest(
                source=cleaned.get("source"), paragraph=cleaned.get("paragraph", "")
            )
        try:
            request.check()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                self.add_error(self.ERROR_FIELDS.get(key), messages)
            return cleaned
        cleaned["request"] = request
        return cleaned

    @property
    def citation(self):
        """The ``CitationRequest`` of a valid form."""
        return self.cleaned_data["request"]
