"""The roles people have in the tracker, as Django groups.

Monitor: logs what happens in court (hearings, decisions, custody, citations) and reads
everything; cannot delete and cannot change who may see a record.
Editor: everything on records, including visibility, deletion, import and export.
Admin: everything, including user accounts.
Partner: an outside organisation reading partner-level records through the API; no admin access.
"""

MONITOR = "Monitor"
EDITOR = "Editor"
ADMIN = "Admin"
PARTNER = "Partner"

RECORD_MODELS = {
    "cases": [
        "province",
        "law",
        "article",
        "court",
        "tag",
        "source",
        "citation",
        "case",
        "casedefendant",
        "charge",
        "reportedfigure",
    ],
    "defendants": ["organisation", "defendant", "affiliation", "custodyperiod"],
    "hearings": ["hearing", "decision"],
}

# What a Monitor may add and change; everything else they may only view.
MONITOR_WRITES = {
    "cases": ["citation", "source"],
    "defendants": ["custodyperiod"],
    "hearings": ["hearing", "decision"],
}


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
    *(
        ("defendants", f"{action}_{model}")
        for model in ("detentionrule", "detentionalert")
        for action in ("view", "add", "change", "delete")
    ),
]
# Monitors read the pretrial-detention rules and alerts.
MONITOR_EXTRA = [("defendants", "view_detentionrule"), ("defendants", "view_detentionalert")]


def permission_codenames(role):
    """(app_label, codename) pairs for a role's permissions on records."""
    pairs = []
    for app_label, models in RECORD_MODELS.items():
        for model in models:
            actions = ["view"]
            if role in (EDITOR, ADMIN):
                actions = ["view", "add", "change", "delete"]
            elif role == MONITOR and model in MONITOR_WRITES.get(app_label, []):
                actions = ["view", "add", "change"]
            pairs.extend((app_label, f"{action}_{model}") for action in actions)
    if role in (EDITOR, ADMIN):
        pairs.extend(EDITOR_EXTRA)
    if role == MONITOR:
        pairs.extend(MONITOR_EXTRA)
    return pairs
