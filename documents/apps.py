from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """The files behind the sources: reports, judgments, translations, monitors' notes; their
    versions, hashes, extracted text and downloads through the visibility gate (#17)."""

    name = "documents"
    verbose_name = _("Documents")

    def ready(self):
        from django.core.signals import setting_changed

        from documents import storage

        # Tests point the documents' storage elsewhere: forget the one already opened.
        setting_changed.connect(storage.reset, dispatch_uid="documents-storage")
