from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .dashboard import monitor_dashboard


class TrackerAdminSite(admin.AdminSite):
    site_header = _("Cambodia Trial Tracker — monitors' workspace")
    site_title = _("Trial Tracker")
    index_title = _("Dashboard")
    index_template = "admin/tracker_index.html"

    def index(self, request, extra_context=None):
        context = {"dashboard": monitor_dashboard(request.user), **(extra_context or {})}
        return super().index(request, context)
