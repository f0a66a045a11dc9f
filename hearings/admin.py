from django.contrib import admin

from cases.admin import CitationInline

from .models import Decision, Hearing


@admin.register(Hearing)
class HearingAdmin(admin.ModelAdmin):
    list_display = ["case", "date", "kind", "status", "court", "monitored", "visibility"]
    list_filter = ["kind", "status", "monitored", "visibility"]
    list_select_related = ["case", "court"]
    search_fields = ["case__title", "outcome"]
    autocomplete_fields = ["case", "court"]
    date_hierarchy = "date"
    inlines = [CitationInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["defendant", "case", "kind", "date", "court_level", "visibility"]
    list_filter = ["kind", "court_level", "visibility"]
    list_select_related = ["defendant", "case"]
    search_fields = ["defendant__name", "case__title"]
    autocomplete_fields = ["case", "defendant", "court", "hearing", "charges"]
    inlines = [CitationInline]
