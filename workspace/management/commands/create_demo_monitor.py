"""Create (or reset) the local demo monitor account and print how to log in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from core import roles

USERNAME = "demo-monitor"


class Command(BaseCommand):
    help = "Create or reset the demo monitor account (development only) and print its password."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo account is for local development only; DEBUG is off. "
                "Create real accounts with `manage.py createsuperuser` and the admin."
            )
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=USERNAME)
        user.is_staff = True
        user.is_active = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=roles.MONITOR))
        self.stdout.write(
            self.style.SUCCESS(
                "Demo monitor account: "
                f"username {USERNAME!r}, password {password!r} (reset on every `make run`). "
                "Log in at http://127.0.0.1:8000/admin/"
            )
        )
