from django.contrib import admin

from cases.admin_citing import CitedInlineMixin, CitingAdminMixin
from cases.inlines import CitationInline
from core.admin import TrackedAdmin, VersionedInlineMixin
from fairtrial.admin import AnswerInline
from hearings.forms import DecisionForm, HearingForm
from hearings.models import Decision, Hearing
from hearings.prompts import prompt_case_status


class HearingInline(CitedInlineMixin, VersionedInlineMixin, admin.StackedInline):
    model = Hearing
    form = HearingForm
    extra = 0
    autocomplete_fields = ["court"]
    fields = [
        ("date", "date_precision", "time"),
        ("court", "kind", "status"),
        "monitored",
        "outcome",
        "fair_trial_observations",
        "monitor_notes",
        "visibility",
        "confirm_unusual_date",
        "loaded_version",
    ]


class DecisionInline(CitedInlineMixin, VersionedInlineMixin, admin.StackedInline):
    model = Decision
    form = DecisionForm
    extra = 0
    autocomplete_fields = ["defendant", "court", "charges"]
    fields = [
        ("defendant", "kind"),
        ("date", "date_precision"),
        ("court", "court_level"),
        "charges",
        ("prison_months", "suspended_months"),
        ("fined", "fine_riel"),
        ("compensation_ordered", "compensation_riel", "compensation_to"),
        ("political_rights_ban_years", "in_absentia"),
        "summary",
        "visibility",
        "loaded_version",
    ]


@admin.register(Hearing)
class HearingAdmin(CitingAdminMixin, TrackedAdmin):
    form = HearingForm
    list_display = ["case", "date", "kind", "status", "court", "monitored", "visibility"]
    list_filter = ["kind", "status", "monitored", "visibility", "needs_review"]
    list_select_related = ["case", "court"]
    search_fields = ["case__title", "case__case_number", "outcome"]
    autocomplete_fields = ["case", "court"]
    date_hierarchy = "date"
    inlines = [CitationInline, AnswerInline]


@admin.register(Decision)
class DecisionAdmin(CitingAdminMixin, TrackedAdmin):
    form = DecisionForm
    list_display = ["defendant", "case", "kind", "date", "court_level", "visibility"]
    list_filter = ["kind", "court_level", "visibility", "in_absentia", "needs_review"]
    list_select_related = ["defendant", "case"]
    search_fields = ["defendant__name", "defendant__name_km", "case__title"]
    autocomplete_fields = ["case", "defendant", "court", "hearing", "charges"]
    inlines = [CitationInline]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change or form.has_changed():
            prompt_case_status(request, obj.case)
