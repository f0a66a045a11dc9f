"""The roles' permissions on documents (core/roles.py): everyone on staff reads them, Monitors
upload, Editors and Admins also change their level and delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = {
    "Monitor": ["view", "add", "change"],
    "Editor": ["view", "add", "change", "delete"],
    "Admin": ["view", "add", "change", "delete"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ACTIONS):
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="documents",
                codename__in=[f"{action}_document" for action in ACTIONS[group.name]],
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    every = Permission.objects.filter(content_type__app_label="documents")
    for group in Group.objects.filter(name__in=ACTIONS):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial"), ("cases", "0004_roles")]

    operations = [migrations.RunPython(grant, revoke)]
