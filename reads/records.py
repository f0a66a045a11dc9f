"""The reads app's model is not a record type (core/registry.py)."""

from core.registry import internal

internal(
    "reads.ReadCount",
    "how often a record's public page was read: a statistic for monitors, never synced or shown",
)
