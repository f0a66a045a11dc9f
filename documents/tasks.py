"""Text extraction in the background, queued after the upload commits."""

import logging

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from core import caching
from documents import extraction
from documents.models import Document, ExtractionStatus

log = logging.getLogger(__name__)


@shared_task(acks_late=True)
def extract_text(document_id):
    """Read the document's text into ``Document.text``; the status says how it went. Safe to
    run again (the admin's "Extract text again")."""
    document = Document._base_manager.filter(pk=document_id).first()
    if document is None:
        return None
    _set(document, extraction_status=ExtractionStatus.RUNNING, extraction_error="")
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
        text = extraction.extract(document.media_type, data)
    except extraction.NotText:
        return _set(document, extraction_status=ExtractionStatus.NOT_TEXT, text="")
    except extraction.NoTextLayer:
        return _set(document, extraction_status=ExtractionStatus.NO_TEXT_LAYER, text="")
    except Exception as error:  # a damaged file: say what went wrong in the admin
        log.warning("text extraction of document %s failed: %s", document_id, error)
        return _set(
            document,
            extraction_status=ExtractionStatus.FAILED,
            extraction_error=f"{type(error).__name__}: {error}"[:2000],
        )
    return _set(document, extraction_status=ExtractionStatus.DONE, text=text)


def _set(document, **values):
    """Record the extraction's progress without a new version of the record: the document
    itself (file, level, source) did not change, so no one's edit is refused for it."""
    values["extracted_at"] = timezone.now() if values["extraction_status"] != "running" else None
    with transaction.atomic():
        Document._base_manager.filter(pk=document.pk).update(**values)
        # The text is searchable now: the cached answers of those who may see it are stale.
        caching.changed_from(document.visibility)
    for name, value in values.items():
        setattr(document, name, value)
    return values["extraction_status"]
