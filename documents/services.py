"""Adding a document: the file, its row and its text extraction, queued after the commit."""

from django.db import transaction

from core.background import queue_after_commit
from core.visibility import Visibility
from documents.models import Document
from documents.tasks import extract_text


@transaction.atomic
def document_upload(
    *, source, upload, uploaded_by=None, visibility=Visibility.MONITORS, replaces=None
):
    """Store ``upload`` as a new document of ``source`` (a new version of ``replaces`` when
    given; that one is kept) and queue its text extraction. Raises ValidationError, with the
    field at fault, for a refused file, a level above the source's, or a version of another
    source's document."""
    document = Document.from_upload(
        upload,
        source=source,
        uploaded_by=uploaded_by,
        visibility=visibility,
        replaces=replaces,
    )
    document.full_clean(exclude=["file"])
    document.save()
    queue_after_commit(extract_text, document.pk)
    return document


def document_extract_again(*, document):
    queue_after_commit(extract_text, document.pk)
