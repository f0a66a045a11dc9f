"""Editors and Admins register partners' webhooks and follow their deliveries."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    f"{action}_{model}"
    for model in ("webhook", "webhookdelivery")
    for action in ("view", "add", "change", "delete")
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="partners", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.add(*perms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="partners", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_webhooks")]

    operations = [migrations.RunPython(grant, revoke)]
