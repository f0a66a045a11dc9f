from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class WorkspaceConfig(AppConfig):
    """The monitors' shell: the admin site and its dashboard, two-factor login, accounts."""

    default = True
    name = "workspace"
    verbose_name = _("Workspace")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the monitor's dashboard on its index page."""

    default = False
    default_site = "workspace.admin_site.TrackerAdminSite"
