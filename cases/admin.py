from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .accounts import account_deactivate
from .admin_base import TrackedAdmin, VersionedInlineMixin
from .export import EXPORT_TYPES
from .models import (
    Article,
    Case,
    CaseDefendant,
    Charge,
    Citation,
    Court,
    ExportJob,
    Law,
    Province,
    ReportedFigure,
    Source,
    Tag,
)
from .visibility import Visibility


class CitationInline(VersionedInlineMixin, GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "paragraph", "note", "visibility", "loaded_version"]


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


class YesNoFilter(admin.SimpleListFilter):
    """A filter with "yes" and "no", answered by ``condition()`` (a Q over the case)."""

    def lookups(self, request, model_admin):
        return [("yes", _("yes")), ("no", _("no"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(self.condition())
        if self.value() == "no":
            return queryset.exclude(self.condition())
        return queryset


class InDetentionFilter(YesNoFilter):
    title = _("someone in detention now")
    parameter_name = "in_detention"

    def condition(self):
        from defendants.models import DETENTION_KINDS, CustodyPeriod

        today = timezone.localdate()
        running = CustodyPeriod.objects.filter(
            case=OuterRef("pk"), kind__in=DETENTION_KINDS, start__lte=today
        ).filter(Q(end__isnull=True) | Q(end__gt=today))
        return Q(Exists(running))


class UpcomingHearingFilter(YesNoFilter):
    title = _("upcoming hearing")
    parameter_name = "upcoming"

    def condition(self):
        from hearings.models import Hearing

        upcoming = Hearing.objects.filter(case=OuterRef("pk"), date__gte=timezone.localdate())
        return Q(Exists(upcoming))


class CaseDefendantInline(VersionedInlineMixin, admin.TabularInline):
    model = CaseDefendant
    extra = 0
    autocomplete_fields = ["defendant"]
    fields = ["defendant", "note", "visibility", "loaded_version"]


class ChargeInline(VersionedInlineMixin, admin.TabularInline):
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
class CaseAdmin(TrackedAdmin):
    change_form_template = "admin/cases/case/change_form.html"
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

    def log_hearing_view(self, request, object_id):
        from hearings.views_admin import log_hearing

        case = get_object_or_404(self.get_queryset(request), pk=object_id)
        return log_hearing(request, self, case)

    def get_inlines(self, request, obj):
        from defendants.admin import CustodyPeriodInline
        from hearings.admin import DecisionInline, HearingInline

        return [
            CaseDefendantInline,
            ChargeInline,
            HearingInline,
            DecisionInline,
            CustodyPeriodInline,
            CitationInline,
        ]


@admin.register(Charge)
class ChargeAdmin(TrackedAdmin):
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
class CaseDefendantAdmin(TrackedAdmin):
    list_display = ["defendant", "case", "visibility"]
    list_select_related = ["defendant", "case"]
    search_fields = ["defendant__name", "defendant__name_km", "case__title"]
    autocomplete_fields = ["case", "defendant"]


@admin.register(ReportedFigure)
class ReportedFigureAdmin(TrackedAdmin):
    list_display = ["label", "value", "is_minimum", "source", "paragraph", "visibility"]
    list_select_related = ["source"]
    search_fields = ["label"]


class ExportJobForm(forms.ModelForm):
    export_type = forms.ChoiceField(choices=[(t, t) for t in sorted(EXPORT_TYPES)])
    export_format = forms.ChoiceField(choices=[("csv", "CSV"), ("json", "JSON")])

    class Meta:
        model = ExportJob
        fields = ["export_type", "export_format"]


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Editors ask for a full export here; it runs in the background and is downloaded when
    done. Each person sees their own exports."""

    form = ExportJobForm
    list_display = [
        "created_at",
        "export_type",
        "export_format",
        "status",
        "progress_text",
        "download",
    ]
    list_filter = ["status"]

    def has_module_permission(self, request):
        return request.user.has_perm("cases.import_export_records")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("cases.import_export_records")

    def has_add_permission(self, request):
        return request.user.has_perm("cases.import_export_records")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("cases.import_export_records")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(requested_by=request.user)

    def save_model(self, request, obj, form, change):
        from cases.background import queue_after_commit
        from cases.tasks import run_export

        obj.requested_by = request.user
        obj.level = Visibility.MONITORS
        obj.save()
        queue_after_commit(run_export, obj.pk)

    @admin.display(description=_("progress"))
    def progress_text(self, job):
        return "—" if job.progress is None else f"{job.progress}%"

    @admin.display(description=_("file"))
    def download(self, job):
        if job.status != "done" or not job.file:
            return "—"
        url = reverse("admin:cases_exportjob_download", args=[job.pk])
        return format_html('<a href="{}">{}</a>', url, _("download"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/download/",
                self.admin_site.admin_view(self.download_view),
                name="cases_exportjob_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, pk):
        job = get_object_or_404(self.get_queryset(request).filter(status="done"), pk=pk)
        if not self.has_view_permission(request, job):
            raise PermissionDenied
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.file.name.split("/")[-1]
        )


admin.site.unregister(User)


@admin.register(User)
class TrackerUserAdmin(UserAdmin):
    """Unticking "active" (or the deactivate action) ends the person's sessions and revokes
    their API tokens there and then."""

    actions = ["deactivate"]

    def save_model(self, request, obj, form, change):
        was_active = change and User.objects.filter(pk=obj.pk, is_active=True).exists()
        super().save_model(request, obj, form, change)
        if was_active and not obj.is_active:
            account_deactivate(user=obj)

    @admin.action(
        description=_("Deactivate: end sessions and revoke API tokens"), permissions=["change"]
    )
    def deactivate(self, request, queryset):
        for user in queryset:
            account_deactivate(user=user)
        self.message_user(request, _("%(n)d account(s) deactivated.") % {"n": queryset.count()})
