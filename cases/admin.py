from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from .models import (
    Article,
    Case,
    CaseDefendant,
    Charge,
    Citation,
    Court,
    Law,
    Province,
    ReportedFigure,
    Source,
    Tag,
)


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "paragraph", "note", "visibility"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_km"]
    search_fields = ["name_en", "name_km"]


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ["title_en", "short_name", "year"]
    search_fields = ["title_en", "title_km", "short_name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["number", "title_en", "law", "offence_class"]
    list_filter = ["law", "offence_class"]
    list_select_related = ["law"]
    search_fields = ["number", "title_en", "title_km"]
    inlines = [CitationInline]


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name_en", "level", "province"]
    list_filter = ["level"]
    list_select_related = ["province"]
    search_fields = ["name_en", "name_km"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["slug", "name_en", "name_km"]
    search_fields = ["slug", "name_en", "name_km"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "symbol", "date", "visibility"]
    search_fields = ["title", "symbol"]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "object_id", "note"]
    list_select_related = ["source", "content_type"]
    list_filter = ["content_type"]


class CaseDefendantInline(admin.TabularInline):
    model = CaseDefendant
    extra = 0
    autocomplete_fields = ["defendant"]


class ChargeInline(admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["defendant", "article"]
    fields = [
        "defendant",
        "article",
        "article_as_cited",
        "label",
        "date_filed",
        "date_filed_precision",
        "status",
        "visibility",
    ]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["title", "court", "status", "visibility", "needs_review", "updated_at"]
    list_filter = ["status", "visibility", "needs_review", "court"]
    list_select_related = ["court"]
    search_fields = ["title", "title_km", "case_number", "parties__defendant__name"]
    autocomplete_fields = ["court", "assigned_monitors"]
    filter_horizontal = ["tags"]
    inlines = [CaseDefendantInline, ChargeInline, CitationInline]


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    list_display = ["label", "article", "defendant", "case", "status", "visibility"]
    list_filter = ["status", "visibility"]
    list_select_related = ["article__law", "defendant", "case"]
    search_fields = ["label", "article__number", "defendant__name", "case__title"]
    autocomplete_fields = ["case", "defendant", "article"]
    inlines = [CitationInline]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "value", "is_minimum", "source", "paragraph"]
    list_select_related = ["source"]
