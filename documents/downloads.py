"""Handing a document's file to a caller who passed the visibility gate."""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from core.visibility import Visibility

log = logging.getLogger(__name__)


def file_response(document):
    """The file as an attachment, with the type detected on upload; the browser is told not to
    guess another (a text file is never run as a page). Streamed from the storage, local or
    S3, so no storage URL is ever handed out."""
    try:
        handle = document.file.open("rb")
    except (OSError, BotoCoreError, ClientError) as error:
        # The row is there but its file is not (a restore without the files, storage down):
        # say so in the log; the caller gets a 404, never a 500 with a trace.
        log.error("document %s: file %s cannot be read: %s", document.pk, document.file.name, error)
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.media_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Document-SHA256"] = document.sha256
    if max(document.visibility, document.source.visibility) > Visibility.PUBLIC:
        patch_cache_control(response, private=True, no_store=True)
    return response
