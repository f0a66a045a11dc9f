from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadsConfig(AppConfig):
    """How often the public pages of records are read: counted in the cache on each page view,
    folded into the database by a periodic job. The monitors' "missing translations" queue
    (workspace/translations.py) lists the most-read records first."""

    name = "reads"
    verbose_name = _("Reads")
