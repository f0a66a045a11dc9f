"""Exports in the admin: Editors ask for a full export; it runs in the background and is
downloaded when done."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cases.models import ExportJob
from core import registry
from core.visibility import level_for
from exchange.services import export_job_request


def export_types():
    """The exported types by their export (API path) name (core/registry.py)."""
    return [(path, path) for path in sorted(t.path for t in registry.exported())]


class ExportJobForm(forms.ModelForm):
    export_type = forms.ChoiceField(choices=export_types)
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
        # At the level the person may read now: a demoted Editor loses their old exports.
        return (
            super()
            .get_queryset(request)
            .filter(requested_by=request.user, level__lte=level_for(request.user))
        )

    def save_model(self, request, obj, form, change):
        export_job_request(job=obj, user=request.user)

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
