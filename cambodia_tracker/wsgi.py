import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cambodia_tracker.settings")


def tune_garbage_collector():
    """After start-up, move everything loaded so far (Django, the apps, their modules) out of
    the collector's sight, and collect the youngest objects less often: a page of the API
    allocates some hundred thousand short-lived objects, and at Python's default threshold (700)
    the collector would stop a request a hundred times and sometimes walk the whole heap, which
    shows up as slow outliers (p95) rather than a slow median."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


application = get_wsgi_application()
tune_garbage_collector()
