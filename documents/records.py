"""The record type of documents (core/registry.py).

Listed and downloaded through the API, not synced: a partner's copy of a file is made by
downloading it (and checked against its ``sha256``), not through the change feed, whose
entries carry records, not files.
"""

from core.registry import register

register(
    "document",
    "documents.Document",
    path="documents",
    viewset="documents.api.views.DocumentViewSet",
    monitor_writes=True,
)
