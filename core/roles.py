"""The roles people have in the tracker, as Django groups.

Monitor: logs what happens in court (hearings, decisions, custody, citations) and reads
everything; cannot delete and cannot change who may see a record.
Editor: everything on records, including visibility, deletion, import and export.
Admin: everything, including user accounts.
Partner: an outside organisation reading partner-level records through the API; no admin access.

The records are the registered record types (core/registry.py); a type's ``monitor_writes``
flag says whether Monitors may add and change it.
"""

from core import registry

MONITOR = "Monitor"
EDITOR = "Editor"
ADMIN = "Admin"
PARTNER = "Partner"

# Permissions beyond the records, granted to Editors and Admins: who may see what, import and
# export, and partner organisations with their API tokens.
EDITOR_EXTRA = [
    ("cases", "change_visibility"),
    ("cases", "import_export_records"),
    *(
        ("partners", f"{action}_{model}")
        for model in ("partner", "apitoken", "webhook", "webhookdelivery")
        for action in ("view", "add", "change", "delete")
    ),
    *(("defendants", f"{action}_detentionalert") for action in ("view", "add", "change", "delete")),
]
# Monitors read the pretrial-detention alerts (an internal model, not a record type).
MONITOR_EXTRA = [("defendants", "view_detentionalert")]


def permission_codenames(role):
    """(app_label, codename) pairs for a role's permissions on records."""
    pairs = []
    for record_type in registry.record_types():
        app_label, model = record_type.model.lower().split(".")
        actions = ["view"]
        if role in (EDITOR, ADMIN):
            actions = ["view", "add", "change", "delete"]
        elif role == MONITOR and record_type.monitor_writes:
            actions = ["view", "add", "change"]
        pairs.extend((app_label, f"{action}_{model}") for action in actions)
    if role in (EDITOR, ADMIN):
        pairs.extend(EDITOR_EXTRA)
    if role == MONITOR:
        pairs.extend(MONITOR_EXTRA)
    return pairs
