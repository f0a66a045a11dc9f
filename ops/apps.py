from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running the tracker: backups and restore, the report's seed, synthetic data."""

    name = "ops"
    verbose_name = _("Ops")
