from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    """The advocates' site: public pages, timelines, facets, statistics, calendars, feeds
    and sitemaps."""

    name = "public"
    verbose_name = _("Public")
