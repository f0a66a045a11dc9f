from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _

from core import caching


class CoreConfig(AppConfig):
    """The kernel every app builds on: base models, visibility, dates, caching, the API and
    admin base classes, and the registry of record types. It imports no app of the tracker."""

    name = "core"
    verbose_name = _("Kernel")

    def ready(self):
        post_save.connect(caching.record_changed, dispatch_uid="caching-save")
        post_delete.connect(caching.record_changed, dispatch_uid="caching-delete")
        m2m_changed.connect(caching.relation_changed, dispatch_uid="caching-m2m")
        # Data migrations write without signals: after migrating, nothing cached stands.
        post_migrate.connect(caching.bump_after_migrate, sender=self)
