"""Signals of the kernel."""

from django.dispatch import Signal

# A record's derived fields (e.g. ``last_confirmed``) were rewritten with ``update()``, which
# sends no ``post_save``: whoever keeps a log of changes (the change feed) hears it here.
# Sent with ``sender`` (the model) and ``instance`` (the record, with its new values).
derived_fields_changed = Signal()

# A tracked record is about to be written: sent inside the save's transaction, before the
# record's own row is locked. Whoever must take row locks in one global order (the change
# feed: the cases and people a save will move) takes them here. ``sender``, ``instance``.
before_write = Signal()
