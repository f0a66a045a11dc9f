from django.contrib import admin

from cases.admin import CitationInline

from .models import Affiliation, CustodyPeriod, Defendant, Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "acronym", "kind"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_km", "acronym"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organisation"]


class CustodyPeriodInline(admin.TabularInline):
    model = CustodyPeriod
    extra = 0
    autocomplete_fields = ["case"]
    fields = ["case", "kind", "start", "start_precision", "end", "end_precision", "visibility"]


@admin.register(Defendant)
class DefendantAdmin(admin.ModelAdmin):
    list_display = ["__str__", "name_km", "category", "province", "visibility", "needs_review"]
    list_filter = ["category", "sex", "visibility", "needs_review", "province"]
    list_select_related = ["province"]
    search_fields = ["name", "name_km", "description"]
    inlines = [AffiliationInline, CustodyPeriodInline, CitationInline]


@admin.register(CustodyPeriod)
class CustodyPeriodAdmin(admin.ModelAdmin):
    list_display = ["defendant", "case", "kind", "start", "end", "visibility"]
    list_filter = ["kind", "visibility"]
    list_select_related = ["defendant", "case"]
    autocomplete_fields = ["defendant", "case"]
    inlines = [CitationInline]
