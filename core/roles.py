"""The roles people have in the tracker, as Django groups.

Monitor: logs what happens in court (hearings, decisions, custody, citations) and reads
everything; cannot delete and cannot change who may see a record.
Editor: everything on records, including visibility, deletion, import and export.
Admin: everything, including user accounts.
Partner: an outside organisation reading partner-level records through the API; no admin access.

The records are the registered record types (core/registry.py); a type's ``monitor_writes``
flag says whether Monitors may add and change it.
"""

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

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
        for model in ("partner", "webhook", "webhookdelivery")
        for action in ("view", "add", "change", "delete")
    ),
    # Editors see and revoke tokens; only Admins issue them (ADMIN_EXTRA).
    *(("partners", f"{action}_apitoken") for action in ("view", "change", "delete")),
    *(("defendants", f"{action}_detentionalert") for action in ("view", "add", "change", "delete")),
    # Publishing or rejecting a change waiting for publication (core/publication.py).
    ("core", "view_pendingchange"),
    ("core", "change_pendingchange"),
]
# Issuing an API token hands out a standing credential: Admins only, and only for partners
# (partners/models.py ``ApiToken.clean``).
ADMIN_EXTRA = [("partners", "add_apitoken")]
# Monitors read the pretrial-detention alerts (an internal model, not a record type).
MONITOR_EXTRA = [("defendants", "view_detentionalert"), ("core", "view_pendingchange")]


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
    if role == ADMIN:
        pairs.extend(ADMIN_EXTRA)
    if role == MONITOR:
        pairs.extend(MONITOR_EXTRA)
    return pairs


STAFF_ROLES = (MONITOR, EDITOR, ADMIN)


def has_role(*names):
    """A condition on users: in one of the groups ``names``."""
    return Exists(
        Group.user_set.through.objects.filter(user_id=OuterRef("pk"), group__name__in=names)
    )


def staff_members(users):
    """The users among ``users`` who hold a staff role (or are superusers): the only people
    the tracker e-mails about cases. Being assigned to a case, or "staff status", is not
    enough: a Partner user assigned by mistake must never receive a monitor's reminder."""
    return users.filter(Q(is_superuser=True) | has_role(*STAFF_ROLES))


def is_partner_account(user):
    """A user who may hold an API token: a Partner and nothing more."""
    names = {group.name for group in user.groups.all()}
    return (
        PARTNER in names
        and not names.intersection(STAFF_ROLES)
        and not user.is_superuser
        and not user.is_staff
    )
