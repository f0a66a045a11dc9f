"""Signals of the kernel."""

from django.dispatch import Signal

# A record's derived fields (e.g. ``last_confirmed``) were rewritten with ``update()``, which
# sends no ``post_save``: whoever keeps a log of changes (the change feed) hears it here.
# Sent with ``sender`` (the model) and ``instance`` (the record, with its new values).
derived_fields_changed = Signal()
