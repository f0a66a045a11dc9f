"""The exchange app's models are not record types (core/registry.py)."""

from core.registry import internal

internal("exchange.Change", "the change feed's log: one row per change to a registered record")
