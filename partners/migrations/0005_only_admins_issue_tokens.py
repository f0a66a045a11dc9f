"""Only Admins issue API tokens, and only to partner accounts (issue 20): Editors keep seeing
and revoking them, and tokens already issued to staff accounts are revoked (they acted in the
person's name without their second factor)."""

from django.db import migrations
from django.db.models import Q
from django.utils import timezone

STAFF_ROLES = ["Monitor", "Editor", "Admin"]


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="partners", codename="add_apitoken")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(*perms)
    ApiToken = apps.get_model("partners", "ApiToken")
    staff = (
        Q(user__is_staff=True) | Q(user__is_superuser=True) | Q(user__groups__name__in=STAFF_ROLES)
    )
    ApiToken.objects.filter(staff, user__isnull=False, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="partners", codename="add_apitoken")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.add(*perms)


class Migration(migrations.Migration):
    dependencies = [("partners", "0004_webhook_permissions")]

    operations = [migrations.RunPython(revoke, grant)]
