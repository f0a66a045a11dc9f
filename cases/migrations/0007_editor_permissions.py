"""Editors and Admins may change visibility and import/export records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EXTRA = ["change_visibility", "import_export_records"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="cases", codename__in=EXTRA)
    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="cases", codename__in=EXTRA)
    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_history_and_versions")]

    operations = [migrations.RunPython(grant, revoke)]
