from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefendantsConfig(AppConfig):
    name = "defendants"
    verbose_name = _("Defendants")
