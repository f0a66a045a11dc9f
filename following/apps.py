from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowingConfig(AppConfig):
    """Readers following a case or a person: e-mail alerts on public changes (double opt-in,
    one-click unsubscribe). Calendars and feeds to follow are in ``public``."""

    name = "following"
    verbose_name = _("Following")
