"""Settings for the Cambodia Trial Tracker, read from the environment.

Every setting has a safe local default so that `make run` works on a fresh machine with
nothing but Python: SQLite under ``var/``, Celery tasks executed eagerly in-process.
Production sets ``DEBUG=false`` and provides ``SECRET_KEY``, ``ALLOWED_HOSTS``,
``DATABASE_URL`` and ``CELERY_BROKER_URL`` (see README.md).
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env file is optional; values in the real environment win. ENV_FILE names another one.
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)


def _secret(name, default=None):
    """Read NAME, or the contents of the file named by NAME_FILE (Docker secrets)."""
    path = env.str(f"{name}_FILE", default="")
    if path:
        return Path(path).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = _secret("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY (or SECRET_KEY_FILE) in the environment, "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "workspace.apps.TrackerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Django's widget templates for FORM_RENDERER below.
    "django.forms",
    "rest_framework",
    "django_filters",
    "simple_history",
    "import_export",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Recovery codes: single-use codes for a lost phone, made when the authenticator is set up.
    "django_otp.plugins.otp_static",
    # The kernel, then the domain, then what is built on the domain (see README, "Layout").
    "core",
    "cases",
    "defendants",
    "hearings",
    "fairtrial",
    "documents",
    "partners",
    # How often public pages are read (counted in the cache, folded by a periodic job).
    "reads",
    "public",
    "workspace",
    "exchange",
    "ops",
    "following",
    "search",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cambodia_tracker.middleware.SecurityHeadersMiddleware",
    # gzip for the API's JSON and CSV only; runs after every middleware that reads the body.
    "cambodia_tracker.middleware.ApiGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin (no /km/ prefix) in the language its monitor chose with the admin's switch.
    "cambodia_tracker.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag on every GET response, and 304 Not Modified when If-None-Match matches.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the logged-in user on every history entry a request writes.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees every login attempt's outcome.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses logins for a locked-out username/address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cambodia_tracker.urls"
WSGI_APPLICATION = "cambodia_tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "public.context_processors.languages",
                "public.context_processors.currency",
            ],
        },
    },
]

# Widgets render with the templates above, so templates/admin/widgets/date.html can say
# which format an admin date input takes.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
# Default: a SQLite file under the git-ignored var/ folder. Production: postgres://...
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("km", _("Khmer"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the site writes them ("5 January 2024"), in the admin too; inputs stay ISO.
FORMAT_MODULE_PATH = ["cambodia_tracker.formats"]
TIME_ZONE = "Asia/Phnom_Penh"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "staticfiles")
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Documents attached to sources (documents/): on the local disk by default; DOCUMENTS_STORAGE=s3
# keeps them in an S3-compatible bucket (MinIO in docker-compose.yml). Either way they are read
# only through the app's visibility gate, never from a public URL.
DOCUMENTS_STORAGE = env.str("DOCUMENTS_STORAGE", default="filesystem")
DOCUMENTS_ROOT = env.path("DOCUMENTS_ROOT", default=Path(MEDIA_ROOT) / "documents")
DOCUMENTS_MAX_UPLOAD_BYTES = env.int("DOCUMENTS_MAX_UPLOAD_BYTES", default=25 * 1024 * 1024)
if DOCUMENTS_STORAGE == "s3":
    _documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME", default="documents"),
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "access_key": _secret("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": _secret("AWS_SECRET_ACCESS_KEY", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Objects carry no public ACL and are never overwritten; any URL is signed (the app
            # streams the files itself, after the visibility gate, and hands out none).
            "querystring_auth": True,
            "default_acl": None,
            "file_overwrite": False,
        },
    }
elif DOCUMENTS_STORAGE == "filesystem":
    _documents_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DOCUMENTS_ROOT)},
    }
else:
    raise ImproperlyConfigured("DOCUMENTS_STORAGE must be 'filesystem' or 's3'.")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "documents": _documents_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Celery -----------------------------------------------------------------------------------
# Unset CELERY_BROKER_URL means "no broker": tasks run eagerly in the web process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default="") or None
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=10 * 60)
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies mid-run goes back to the queue (tasks are idempotent).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Fail fast when the broker is down: the work is already in the database (deliveries, export
# jobs) and the beat sweepers queue it again once the broker is back.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 5}

# When each periodic task runs (Asia/Phnom_Penh time). Change the times here; `celery beat`
# reads this schedule at start.
CELERY_BEAT_SCHEDULE = {
    "detention-clock": {
        "task": "defendants.tasks.check_detention_limits",
        "schedule": crontab(hour=1, minute=0),
    },
    "hearing-reminders": {
        "task": "hearings.tasks.send_hearing_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "hearing-digest": {
        "task": "hearings.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=5),
    },
    "webhook-collect": {"task": "partners.tasks.collect_webhook_events", "schedule": 60.0},
    "webhook-deliver": {"task": "partners.tasks.deliver_due_webhooks", "schedule": 60.0},
    "export-sweep": {"task": "cases.tasks.requeue_stale_exports", "schedule": 300.0},
    # Readers following a case or a person by e-mail hear of its public changes.
    "follow-alerts": {"task": "following.tasks.send_follow_alerts", "schedule": 900.0},
    # Reads of public pages, counted in the cache, go into the database (reads/counting.py).
    "read-counts": {"task": "reads.tasks.fold_read_counts", "schedule": 300.0},
}

# --- Currency ----------------------------------------------------------------------------------
# A fact confirmed (by a source or a monitor's observation) within this many days of a date is
# called true on that date ("in detention now"); older ones are shown "as last reported"
# (core/currency.py).
CURRENCY_WINDOW_DAYS = env.int("CURRENCY_WINDOW_DAYS", default=30)
# The monitors' dashboard lists open facts not confirmed for this many days.
STALE_AFTER_DAYS = env.int("STALE_AFTER_DAYS", default=90)
# Incremental sync: the ``server_time`` a sync resumes from lies this many seconds before the
# oldest transaction still open (exchange/tombstones.py ``sync_horizon``).
SYNC_OVERLAP_SECONDS = env.int("SYNC_OVERLAP_SECONDS", default=5)

# --- Background work ---------------------------------------------------------------------------
# Days before a pretrial-detention limit at which monitors are warned (0 = the day it passes).
DETENTION_ALERT_DAYS = env.list("DETENTION_ALERT_DAYS", cast=int, default=[14])
# Days before a scheduled hearing at which its monitors get a reminder.
HEARING_REMINDER_DAYS = env.list("HEARING_REMINDER_DAYS", cast=int, default=[7, 1])
# Partners' webhook URLs must be https unless this is on (local testing).
WEBHOOK_ALLOW_HTTP = env.bool("WEBHOOK_ALLOW_HTTP", default=DEBUG)
# Webhooks reach only public internet addresses (no loopback, private, link-local, multicast,
# reserved or metadata address), checked on save and on the resolved address at sending time.
# Only tests turn this on, to send to a server on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_DESTINATIONS = env.bool("WEBHOOK_ALLOW_PRIVATE_DESTINATIONS", default=False)
WEBHOOK_MAX_ATTEMPTS = env.int("WEBHOOK_MAX_ATTEMPTS", default=10)
# Changes younger than this are collected on the next run, so that a transaction still
# committing when the collector reads history is never skipped.
WEBHOOK_COLLECT_LAG_SECONDS = env.int("WEBHOOK_COLLECT_LAG_SECONDS", default=30)

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _secret("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="tracker@localhost")
# The public site's address, for links in mails sent by background jobs (no request to read
# it from): followers' confirmation and change mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# How many reverse proxies stand in front of the app, each appending to X-Forwarded-For. The
# login lockout and the API throttles count the address the outermost proxy saw
# (core/clients.py). 0 (the default) trusts only the socket's address, so a caller cannot
# choose its address by writing the header itself. Set it to exactly the number of proxies.
NUM_PROXIES = env.int("NUM_PROXIES", default=0)

# --- REST framework ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partners.api.auth.TokenAuthentication",
        # Django's session login, refused until the session has passed its second factor.
        "workspace.two_factor.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.permissions.ReadOrModelPermissions"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.filters.FilterBackend",
        "core.api.ordering.StrictOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StableCursorPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "partners.api.auth.CallerRateThrottle",
        # Requests with ?search= also count against a tighter budget of their own.
        "partners.api.auth.SearchRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_RATE_ANON", default="300/hour"),
        "partner": env.str("API_RATE_PARTNER", default="10000/hour"),
        "staff": env.str("API_RATE_STAFF", default="10000/hour"),
        # Exports (streamed or as background jobs) read whole tables: a budget of their own.
        "export_anon": env.str("API_RATE_EXPORT_ANON", default="20/hour"),
        "export_partner": env.str("API_RATE_EXPORT_PARTNER", default="100/hour"),
        "export_staff": env.str("API_RATE_EXPORT_STAFF", default="100/hour"),
        # Free-text searches (API and the public case list): each word costs a condition.
        "search_anon": env.str("SEARCH_RATE_ANON", default="120/hour"),
        "search_partner": env.str("SEARCH_RATE_PARTNER", default="1000/hour"),
        "search_staff": env.str("SEARCH_RATE_STAFF", default="1000/hour"),
    },
    # JSON nested deeper than any record is a 400 (core/api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "core.api.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "core.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.TrackerAutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # The throttles read the client's address from core.clients.client_address (NUM_PROXIES).
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Cambodia Trial Tracker API",
    # Who may call, the answers, and the change-feed recipe (the README's, kept equal by
    # tests/api/test_schema.py).
    "DESCRIPTION": (BASE_DIR / "cambodia_tracker" / "api_description.md").read_text(),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # No link inside each operation's button (a control nested in a control, for screen
    # readers); the page's addresses stay the operations' ids in the schema.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.trimmable_records",
    ],
    # Request bodies are documented as JSON only: the form and multipart parsers serve the
    # browsable API, and a body with three media types generates a client that cannot import
    # (openapi-python-client; tests/api/test_generated_client.py).
    "PARSER_WHITELIST": ["core.api.parsers.BoundedJSONParser"],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecision": "core.dates.DatePrecision",
        "CourtLevel": "cases.models.CourtLevel",
        "CaseStatus": "cases.models.CaseStatus",
        "ChargeStatus": "cases.models.ChargeStatus",
        "HearingStatus": "hearings.models.HearingStatus",
        "Visibility": "core.visibility.Visibility",
    },
}

# Caches back the API throttles; Redis in production (CACHE_URL=redis://...).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Cached reads (statistics, facet counts, the API's case list and case detail for partners and
# the public) live this many seconds at most, and never past the next change to the data that
# their reader can see (core/caching.py). 0 turns them off.
READ_CACHE_SECONDS = env.int("READ_CACHE_SECONDS", default=600)

# --- Security ---------------------------------------------------------------------------------
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health checks come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# HSTS: on in production (a year, subdomains, preload-ready); off in local development.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

LOGIN_URL = "admin:login"

# --- Monitor login: lockout, two-factor, sessions -----------------------------------------------
# After AXES_FAILURE_LIMIT failed logins for one username from one address, that pair is
# refused (429 and a lockout page) for AXES_COOLOFF_HOURS.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# The same client address as the API throttles (X-Forwarded-For only behind NUM_PROXIES).
AXES_CLIENT_IP_CALLABLE = "core.clients.client_address"
# Everyone who can read monitors-only records (Monitors, Editors, Admins) needs a second factor
# (TOTP) whenever this is on (always in production).
TWO_FACTOR_ENFORCED = env.bool("TWO_FACTOR_ENFORCED", default=not DEBUG)
OTP_TOTP_ISSUER = "Cambodia Trial Tracker"
# Log out after this many idle minutes (every request renews the session).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_MINUTES", default=30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- History and import/export ----------------------------------------------------------------
# History is a record, not a draft: it cannot be edited or "reverted" through the app.
SIMPLE_HISTORY_REVERT_DISABLED = True
SIMPLE_HISTORY_EDIT = False
# Imports run in a transaction: a failing row changes nothing. (Formula escaping on export and
# who may import or export are decided in cases/admin_base.py.)
IMPORT_EXPORT_USE_TRANSACTIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "cambodia_tracker.logging.JsonFormatter"},
        "plain": {"format": "%(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            # Structured lines in production; readable lines while developing.
            "formatter": env.str("LOG_FORMAT", default="plain" if DEBUG else "json"),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
