"""Create the Monitor, Editor, Admin and Partner groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cases import roles


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in (roles.MONITOR, roles.EDITOR, roles.ADMIN):
        group, _ = Group.objects.get_or_create(name=role)
        wanted = roles.permission_codenames(role)
        perms = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        ]
        if role == roles.ADMIN:
            perms += list(
                Permission.objects.filter(content_type__app_label="auth").exclude(
                    pk__in=[p.pk for p in perms]
                )
            )
        group.permissions.set(perms)
    Group.objects.get_or_create(name=roles.PARTNER)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(
        name__in=[roles.MONITOR, roles.EDITOR, roles.ADMIN, roles.PARTNER]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_provinces"),
        ("defendants", "0001_initial"),
        ("hearings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
