"""Response headers every page and endpoint gets: the Content-Security-Policy, search-engine
exclusion for non-public URLs, and no caching of what only a logged-in person may see."""

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The admin's own templates and the API docs set some inline style attributes; scripts stay
# strictly our own files.
RELAXED_STYLE_CSP = STRICT_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

NOT_PUBLIC_PREFIXES = ("/admin/", "/api/", "/i18n/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        relaxed = path.startswith("/admin/") or path.startswith("/api/v1/docs")
        response.setdefault("Content-Security-Policy", RELAXED_STYLE_CSP if relaxed else STRICT_CSP)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if path.startswith(NOT_PUBLIC_PREFIXES):
            response["X-Robots-Tag"] = "noindex, nofollow"
        if path.startswith("/admin/"):
            add_never_cache_headers(response)
            patch_cache_control(response, no_store=True)
        return response


class ApiGZipMiddleware(GZipMiddleware):
    """Compresses the API's JSON and CSV (lists and exports shrink over ten times).

    Only under /api/: HTML pages carry CSRF tokens next to text a visitor can echo, which is what
    compression attacks such as BREACH read; API answers carry no such secret.
    """

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)


class AdminLanguageMiddleware:
    """The monitors' workspace in the language a monitor chose (English or Khmer).

    Public pages take their language from the URL (/km/…), so LocaleMiddleware gives every
    unprefixed URL, /admin/ included, the default language. The admin has no prefix: it reads
    the choice its language switch stores in the language cookie (Django's set_language view,
    templates/admin/base_site.html). Runs after LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            if chosen in dict(settings.LANGUAGES):
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
