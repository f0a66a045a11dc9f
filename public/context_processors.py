from django.conf import settings
from django.urls import translate_url


def languages(request):
    """Links to the current page in each interface language."""
    return {
        "language_links": [
            (code, name, translate_url(request.get_full_path(), code))
            for code, name in settings.LANGUAGES
        ]
    }
