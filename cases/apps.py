from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default = True
    name = "cases"
    verbose_name = _("Cases")


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the monitor's dashboard on its index page."""

    default = False
    default_site = "cases.admin_site.TrackerAdminSite"
