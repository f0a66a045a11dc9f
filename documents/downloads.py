"""Handing a document's file to a caller who passed the visibility gate."""

from django.http import FileResponse
from django.utils.cache import patch_cache_control

from core.visibility import Visibility


def file_response(document):
    """The file as an attachment, with the type detected on upload; the browser is told not to
    guess another (a text file is never run as a page). Streamed from the storage, local or
    S3, so no storage URL is ever handed out."""
    response = FileResponse(
        document.file.open("rb"),
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
