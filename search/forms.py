"""What a search asks for, for the page and the API alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.filters import SearchField
from search.providers import type_choices

MIN_YEAR, MAX_YEAR = 1900, 2100

QUERY_HELP = _("Words in a name, title, summary or a hearing's public record (Latin or Khmer)")


class SearchForm(forms.Form):
    q = SearchField(label=_("Search the tracker"), help_text=QUERY_HELP)
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *type_choices()]
    )
    year = forms.IntegerField(
        label=_("Year"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )

    def search_arguments(self):
        data = self.cleaned_data
        return {"record_type": data.get("type") or None, "year": data.get("year")}
