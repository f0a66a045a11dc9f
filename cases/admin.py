from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cases.admin_citing import CitedInlineMixin, CitingAdminMixin
from cases.inlines import CaseDefendantInline, CitationInline
from cases.models import (
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
from core.admin import TrackedAdmin, VersionedInlineMixin, YesNoFilter
from defendants.admin import CustodyPeriodInline
from defendants.models import CustodyPeriod
from documents.admin import DocumentInline
from hearings.admin import DecisionInline, HearingInline
from hearings.history import logged_changes
from hearings.models import Decision, Hearing
from hearings.prompts import prompt_case_status
from hearings.views_admin import log_hearing


@admin.register(Province)
class ProvinceAdmin(SimpleHistoryAdmin):
    list_display = ["name_en", "name_km"]
    search_fields = ["name_en", "name_km"]


@admin.register(Law)
class LawAdmin(TrackedAdmin):
    list_display = ["title_en", "short_name", "year"]
    search_fields = ["title_en", "title_km", "short_name"]


@admin.register(Article)
class ArticleAdmin(TrackedAdmin):
    list_display = ["number", "title_en", "law", "offence_class"]
    list_filter = ["law", "offence_class"]
    list_select_related = ["law"]
    search_fields = ["number", "title_en", "title_km"]
    inlines = [CitationInline]


@admin.register(Court)
class CourtAdmin(TrackedAdmin):
    list_display = ["name_en", "name_km", "level", "province"]
    list_filter = ["level"]
    list_select_related = ["province"]
    search_fields = ["name_en", "name_km"]
    autocomplete_fields = ["province"]


@admin.register(Tag)
class TagAdmin(SimpleHistoryAdmin):
    list_display = ["slug", "name_en", "name_km"]
    search_fields = ["slug", "name_en", "name_km"]


@admin.register(Source)
class SourceAdmin(TrackedAdmin):
    list_display = ["title", "symbol", "date", "visibility"]
    list_filter = ["visibility"]
    search_fields = ["title", "symbol", "publisher"]
    inlines = [DocumentInline]


@admin.register(Citation)
class CitationAdmin(TrackedAdmin):
    list_display = ["__str__", "content_type", "object_id", "note", "visibility"]
    list_select_related = ["source", "content_type"]
    list_filter = ["content_type", "visibility"]
    autocomplete_fields = ["source"]


class ArticleFilter(admin.SimpleListFilter):
    title = _("article")
    parameter_name = "article"

    def lookups(self, request, model_admin):
        return [
            (a.pk, f"{a.number} — {a.title_en}")
            for a in Article.objects.filter(charges__isnull=False).distinct()
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(charges__article_id=self.value()).distinct()
        return queryset


class ProvinceFilter(admin.SimpleListFilter):
    title = _("province")
    parameter_name = "province"

    def lookups(self, request, model_admin):
        return [
            (p.pk, p.name_en)
            for p in Province.objects.filter(courts__cases__isnull=False).distinct()
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(court__province_id=self.value())
        return queryset


class InDetentionFilter(YesNoFilter):
    title = _("someone in detention now")
    parameter_name = "in_detention"

    def condition(self):
        running = CustodyPeriod.objects.running_on(timezone.localdate()).detention()
        return Q(Exists(running.filter(case=OuterRef("pk"))))


class UpcomingHearingFilter(YesNoFilter):
    title = _("upcoming hearing")
    parameter_name = "upcoming"

    def condition(self):
        return Q(Exists(Hearing.objects.ahead().filter(case=OuterRef("pk"))))


class ChargeInline(CitedInlineMixin, VersionedInlineMixin, admin.TabularInline):
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
        "needs_review",
        "loaded_version",
    ]


@admin.register(Case)
class CaseAdmin(CitingAdminMixin, TrackedAdmin):
    change_form_template = "admin/cases/case/change_form.html"
    # The charges, hearings, decisions and custody periods added on its page are cited.
    cites_new_records = False
    list_display = ["title", "court", "status", "visibility", "needs_review", "updated_at"]
    list_filter = [
        "status",
        "court",
        ArticleFilter,
        ProvinceFilter,
        InDetentionFilter,
        UpcomingHearingFilter,
        "needs_review",
        "visibility",
        "tags",
    ]
    list_select_related = ["court"]
    search_fields = [
        "title",
        "title_km",
        "case_number",
        "summary",
        "parties__defendant__name",
        "parties__defendant__name_km",
    ]
    autocomplete_fields = ["court", "assigned_monitors"]
    filter_horizontal = ["tags"]
    fieldsets = [
        (None, {"fields": ["title", "title_km", "court", "case_number", "status", "status_as_of"]}),
        (_("Summary"), {"fields": ["summary", "summary_km", "tags"]}),
        (
            _("Monitoring"),
            {
                "fields": [
                    "assigned_monitors",
                    "visibility",
                    "needs_review",
                    "review_note",
                    "defendant_count_is_minimum",
                    "loaded_version",
                ]
            },
        ),
    ]

    def get_urls(self):
        custom = [
            path(
                "<path:object_id>/log-hearing/",
                self.admin_site.admin_view(self.log_hearing_view),
                name="cases_case_log_hearing",
            )
        ]
        return custom + super().get_urls()

    object_history_template = "admin/cases/case/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        # Above the case's own field history: each logged change whole, with its sources.
        case = self.get_object(request, object_id)
        extra = {"logged_changes": logged_changes(case) if case is not None else []}
        return super().history_view(request, object_id, {**extra, **(extra_context or {})})

    def log_hearing_view(self, request, object_id):
        case = get_object_or_404(self.get_queryset(request), pk=object_id)
        return log_hearing(request, self, case)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        # A decision added or changed on the case's page: ask about the status, unless the
        # same save just changed it.
        decided = formset.model is Decision and (formset.new_objects or formset.changed_objects)
        if decided and "status" not in form.changed_data:
            prompt_case_status(request, form.instance)

    def get_inlines(self, request, obj):
        return [
            CaseDefendantInline,
            ChargeInline,
            HearingInline,
            DecisionInline,
            CustodyPeriodInline,
            CitationInline,
        ]


@admin.register(Charge)
class ChargeAdmin(CitingAdminMixin, TrackedAdmin):
    list_display = ["label", "article", "defendant", "case", "status", "visibility"]
    list_filter = ["status", "visibility", "needs_review"]
    list_select_related = ["article__law", "defendant", "case"]
    search_fields = [
        "label",
        "article__number",
        "defendant__name",
        "defendant__name_km",
        "case__title",
    ]
    autocomplete_fields = ["case", "defendant", "article"]
    inlines = [CitationInline]


@admin.register(CaseDefendant)
class CaseDefendantAdmin(CitingAdminMixin, TrackedAdmin):
    list_display = ["defendant", "case", "visibility"]
    list_select_related = ["defendant", "case"]
    search_fields = ["defendant__name", "defendant__name_km", "case__title"]
    autocomplete_fields = ["case", "defendant"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(TrackedAdmin):
    list_display = ["label", "value", "is_minimum", "source", "paragraph", "visibility"]
    list_select_related = ["source"]
    search_fields = ["label"]
