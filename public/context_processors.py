from functools import cached_property

from django.conf import settings
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import translate_url

from cases.models import Source
from core.visibility import Visibility


def languages(request):
    """Links to the current page in each interface language."""
    return {
        "language_links": [
            (code, name, translate_url(request.get_full_path(), code))
            for code, name in settings.LANGUAGES
        ]
    }


class Currency:
    """How current the public information is, for the line every page shows (base.html).

    Read only when a page shows it (admin pages do not): one query, the latest day any public
    source covers (its reporting period's end, else its date)."""

    window_days = settings.CURRENCY_WINDOW_DAYS

    @cached_property
    def latest_source_day(self):
        return (
            Source.objects.visible_to(Visibility.PUBLIC)
            .aggregate(day=Max(Coalesce("covers_until", "date")))
            .get("day")
        )


def currency(request):
    return {"currency": Currency()}
