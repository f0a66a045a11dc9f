"""The kernel's own concrete models, none of them a record type (core/registry.py)."""

from core.registry import internal

internal(
    "core.PendingChange",
    "a held change to a record, waiting for an Editor: published into the record itself",
)
