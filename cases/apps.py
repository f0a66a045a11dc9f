from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default = True
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

        from cases import caching

        post_save.connect(caching.record_changed, dispatch_uid="caching-save")
        post_delete.connect(caching.record_changed, dispatch_uid="caching-delete")
        m2m_changed.connect(caching.relation_changed, dispatch_uid="caching-m2m")
        # Data migrations write without signals: after migrating, nothing cached stands.
        post_migrate.connect(caching.bump_after_migrate, sender=self)


class TrackerAdminConfig(admin_apps.AdminConfig):
    """The admin, with the monitor's dashboard on its index page."""

    default = False
    default_site = "cases.admin_site.TrackerAdminSite"
