"""Who may see and change the pretrial-detention rules and alerts.

Editors and Admins change the rules (they are legal data with a source) and alerts; Monitors
read both, so the clock's alerts can be opened from the dashboard.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    f"{action}_{model}"
    for model in ("detentionrule", "detentionalert")
    for action in ("view", "add", "change", "delete")
]
MONITOR = ["view_detentionrule", "view_detentionalert"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    def perms(codenames):
        return Permission.objects.filter(
            content_type__app_label="defendants", codename__in=codenames
        )

    for group in Group.objects.filter(name__in=["Editor", "Admin"]):
        group.permissions.add(*perms(EDITOR))
    for group in Group.objects.filter(name="Monitor"):
        group.permissions.add(*perms(MONITOR))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    every = Permission.objects.filter(content_type__app_label="defendants", codename__in=EDITOR)
    for group in Group.objects.filter(name__in=["Editor", "Admin", "Monitor"]):
        group.permissions.remove(*every)


class Migration(migrations.Migration):
    dependencies = [("defendants", "0004_default_detention_rules")]

    operations = [migrations.RunPython(grant, revoke)]
