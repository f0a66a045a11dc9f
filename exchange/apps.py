from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """What partners copy: the sync endpoints, tombstones, exports and export jobs, and
    webhook delivery."""

    name = "exchange"
    verbose_name = _("Exchange")
