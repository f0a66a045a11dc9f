"""Create the Monitor, Editor, Admin and Partner groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Frozen copy of the role definitions at the time of this migration (cases/roles.py holds the
# current ones; later migrations bring the groups up to date).
MONITOR, EDITOR, ADMIN, PARTNER = "Monitor", "Editor", "Admin", "Partner"
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
MONITOR_WRITES = {
    "cases": ["citation", "source"],
    "defendants": ["custodyperiod"],
    "hearings": ["hearing", "decision"],
}


def permission_codenames(role):
    pairs = []
    for app_label, models in RECORD_MODELS.items():
        for model in models:
            actions = ["view"]
            if role in (EDITOR, ADMIN):
                actions = ["view", "add", "change", "delete"]
            elif role == MONITOR and model in MONITOR_WRITES.get(app_label, []):
                actions = ["view", "add", "change"]
            pairs.extend((app_label, f"{action}_{model}") for action in actions)
    return pairs


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in (MONITOR, EDITOR, ADMIN):
        group, _ = Group.objects.get_or_create(name=role)
        wanted = permission_codenames(role)
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        if role == ADMIN:
            perms += list(
                Permission.objects.filter(content_type__app_label="auth").exclude(
                    pk__in=[p.pk for p in perms]
                )
            )
        group.permissions.set(perms)
    Group.objects.get_or_create(name=PARTNER)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[MONITOR, EDITOR, ADMIN, PARTNER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_provinces"),
        ("defendants", "0001_initial"),
        ("hearings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
