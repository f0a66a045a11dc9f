"""Who may read and decide the changes waiting for publication.

Monitors read the queue (their own held changes among them); Editors and Admins publish or
reject. Nobody adds or deletes one by hand: a held write creates it, and a decided one is kept
as the record of who published or rejected what.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = ["view_pendingchange", "change_pendingchange"]
MONITOR = ["view_pendingchange"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(codenames):
        return Permission.objects.filter(content_type__app_label="core", codename__in=codenames)

    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.add(*perms(EDITOR))
    for group in Group.objects.filter(name="Monitor"):
        group.permissions.add(*perms(MONITOR))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(content_type__app_label="core", codename__in=EDITOR)
    for group in Group.objects.filter(name__in=["Editor", "Admin", "Monitor"]):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_pending_change"), ("cases", "0004_roles")]

    operations = [migrations.RunPython(grant, revoke)]
