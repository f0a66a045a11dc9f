from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    default = True
    name = "cases"
    verbose_name = _("Cases")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from cases import citing
        from cases.models import Citation, Source

        # Every fact's last confirmation follows its citations (cases/citing.py).
        post_save.connect(citing.citation_changed, sender=Citation, dispatch_uid="confirm-save")
        post_delete.connect(citing.citation_changed, sender=Citation, dispatch_uid="confirm-del")
        post_save.connect(citing.source_changed, sender=Source, dispatch_uid="confirm-source")
        post_save.connect(citing.record_saved, dispatch_uid="confirm-visibility")
