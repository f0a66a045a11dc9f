"""The following app's model is not a record type (core/registry.py)."""

from core.registry import internal

internal(
    "following.Follow",
    "a reader's e-mail address and what it follows: never shown, synced, exported or sent out",
)
