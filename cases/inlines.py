"""Inlines of the case domain's records, shown on other records' admin pages too (a person's
page lists their cases; every fact lists its citations)."""

from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline

from cases.admin_citing import CitedInlineMixin
from cases.models import CaseDefendant, Citation
from core.admin import VersionedInlineMixin


class CitationInline(VersionedInlineMixin, GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "paragraph", "note", "visibility", "loaded_version"]


class CaseDefendantInline(CitedInlineMixin, VersionedInlineMixin, admin.TabularInline):
    model = CaseDefendant
    extra = 0
    autocomplete_fields = ["defendant"]
    fields = ["defendant", "note", "visibility", "loaded_version"]
