from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from workspace import confirming, translations, two_factor
from workspace.dashboard import LogHearingPicker, monitor_dashboard


class TrackerAdminSite(admin.AdminSite):
    site_header = _("Cambodia Trial Tracker — monitors' workspace")
    site_title = _("Trial Tracker")
    index_title = _("Dashboard")
    index_template = "admin/tracker_index.html"
    login_template = "admin/tracker_login.html"
    login_form = two_factor.LoginForm

    def has_permission(self, request):
        return super().has_permission(request) and two_factor.second_factor_done(request.user)

    def login(self, request, extra_context=None):
        user = request.user
        if (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and two_factor.needs_second_factor(user)
            and not two_factor.has_device(user)
        ):
            return redirect("admin:two-factor-setup")
        return super().login(request, extra_context)

    def get_urls(self):
        return [
            path("two-factor/", two_factor.setup, name="two-factor-setup"),
            path(
                "confirm/<str:model_name>/<int:pk>/",
                self.admin_view(confirming.confirm_fact),
                name="confirm-fact",
            ),
            path("log-hearing/", self.admin_view(self.log_hearing_picker), name="log-hearing"),
            path(
                "translations/",
                self.admin_view(self.missing_translations),
                name="missing-translations",
            ),
            *super().get_urls(),
        ]

    def index(self, request, extra_context=None):
        dashboard = monitor_dashboard(request.user, self, request.GET)
        return super().index(request, {"dashboard": dashboard, **(extra_context or {})})

    def log_hearing_picker(self, request):
        """ "Log a hearing" without knowing the case's page: pick the case, go to its form."""
        form = LogHearingPicker(request.GET or None, admin_site=self)
        if form.is_valid():
            return redirect("admin:cases_case_log_hearing", form.cleaned_data["case"].pk)
        context = {**self.each_context(request), "form": form, "title": _("Log a hearing")}
        return TemplateResponse(request, "admin/log_hearing_picker.html", context)

    def missing_translations(self, request):
        """Public records with no Khmer text yet, by type, the most-read first; ``?type=``
        lists one type a page at a time."""
        if not translations.translatable_types(request.user):
            raise PermissionDenied
        name = request.GET.get("type")
        if name:
            group = translations.one_type(request.user, name, request.GET.get("page"))
            if group is None:
                raise Http404
            groups = [group]
        else:
            group, groups = None, translations.overview(request.user)
        context = {
            **self.each_context(request),
            "title": _("Missing translations"),
            "groups": groups,
            "one_type": group,
        }
        return TemplateResponse(request, "admin/missing_translations.html", context)
