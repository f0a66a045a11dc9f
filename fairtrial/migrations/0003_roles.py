"""The roles' permissions on fair-trial records (core/roles.py): everyone on staff reads them,
Monitors record answers, Editors and Admins change the checklist and assess cases."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["checklistversion", "checklistitem", "answer", "assessment"]
MONITOR_WRITES = ["answer"]


def codenames(role):
    names = []
    for model in MODELS:
        actions = ["view"]
        if role in ("Editor", "Admin"):
            actions = ["view", "add", "change", "delete"]
        elif model in MONITOR_WRITES:
            actions = ["view", "add", "change"]
        names += [f"{action}_{model}" for action in actions]
    return names


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=["Monitor", "Editor", "Admin"]):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="fairtrial", codename__in=codenames(group.name)
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    every = Permission.objects.filter(content_type__app_label="fairtrial")
    for group in Group.objects.filter(name__in=["Monitor", "Editor", "Admin"]):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [("fairtrial", "0002_checklist_version_1"), ("cases", "0004_roles")]

    operations = [migrations.RunPython(grant, revoke)]
