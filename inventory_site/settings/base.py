"""Settings shared by every environment; everything configurable comes from the environment.

Read `.env.example` for the variables. `local`, `test` and `production` refine this module.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# Overridden per environment; production refuses to start without a real one.
SECRET_KEY = env("SECRET_KEY", default="django-insecure-local-development-key-never-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "inventory_site.apps.AdminConfig",  # django.contrib.admin with our site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Third party
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "rest_framework",
    "rest_framework_simplejwt",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "django_celery_beat",
    # Ours
    "accounts",
    "products",
    "suppliers",
    "stock",
    "orders",
    "reports",
    "integrations",
    "inventory_site.api",
    "inventory_site.scheduling",
]

MIDDLEWARE = [
    # First, so every log line of the request carries its id (X-Request-ID).
    "inventory_site.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Deny by default: a page is for signed-in users unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so it sees the outcome of the login attempt (django-axes requirement).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "inventory_site.urls"
WSGI_APPLICATION = "inventory_site.wsgi.application"
ASGI_APPLICATION = "inventory_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "inventory_site.context_processors.site",
                "inventory_site.context_processors.navigation",
            ],
            "builtins": ["inventory_site.templatetags.formatting"],
        },
    },
]

# --- Database: PostgreSQL only ----------------------------------------------------------------
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DATABASE_URL must point to a PostgreSQL server (postgres://...); "
            "PostgreSQL is the only supported database engine."
        )
else:
    # No server configured: start (or reuse) the embedded PostgreSQL under var/.
    DATABASES = {
        "default": {
            "ENGINE": "inventory_site.embedded_postgres",
            "NAME": env("EMBEDDED_DB_NAME", default="inventory"),
            "USER": "postgres",
            "PGDATA": str(BASE_DIR / "var" / "pgdata"),
        }
    }
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# JIT planning costs seconds on wide annotated queries; OLTP requests never profit from it.
_options = DATABASES["default"].setdefault("OPTIONS", {})
_options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, login throttling ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend, reading a user's permissions in one statement.
    "accounts.backends.PermissionsBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=60))
# Lock the account (whatever IP the attempts come from) and, separately, the IP (whatever
# accounts it tries).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success must not wipe the failures recorded for its IP against *other* accounts, or any
# colleague behind the same address could reset an attacker's count: a successful sign-in clears
# only its own account's failures (accounts.security_log).
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)  # trusted reverse proxies in front
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip"

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("id", _("Bahasa Indonesia"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
CURRENCY = env("CURRENCY", default="IDR")

# --- Static and media files -----------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Email ------------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Inventory <inventory@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where people reach the app: links in emails sent by background tasks start with it.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

# --- Forms and UI -----------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_TAGS = {40: "danger"}  # messages.ERROR renders with Bootstrap's "danger" colours

# --- Security headers (production tightens transport settings) ------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        # Django admin and Swagger UI set style attributes; scripts stay strictly same-origin.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # JWT first: an anonymous API client gets 401 with a WWW-Authenticate challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "inventory_site.api.permissions.ModelPermissions",
    ],
    "DEFAULT_PAGINATION_CLASS": "inventory_site.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "inventory_site.api.schema.AutoSchema",
    # JSON in; an endpoint that takes files (imports, images) adds MultiPartParser itself.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "EXCEPTION_HANDLER": "inventory_site.api.errors.exception_handler",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=1)),
    "UPDATE_LAST_LOGIN": True,
    # A password change revokes every token issued before it, as it ends every session.
    "CHECK_REVOKE_TOKEN": True,
    "REVOKE_TOKEN_CLAIM": "hash_password",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Inventory API",
    "DESCRIPTION": "Products, stock, orders and reports. Authenticate with a JWT "
    "(POST /api/v1/auth/token/) or the browser session.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Two choice sets share the field name "reason": name each.
    "ENUM_NAME_OVERRIDES": {
        "AdjustmentReasonEnum": "stock.models.StockMovement.Reason",
        "ReturnReasonEnum": "orders.models.SalesReturn.Reason",
    },
}

# --- Background work -------------------------------------------------------------------------
# No broker configured: tasks run in-process, so the quick start needs no services.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Without a broker, long tasks (imports, forecast runs) run in a thread of the web process so
# their pages can show progress (inventory_site/background.py); tests run them in the request.
BACKGROUND_THREADS = env.bool("BACKGROUND_THREADS", default=True)
# Draw an order's PDF (invoice, receipt, purchase order) in the background when its status
# moves, so the first download is served from the document store (orders/tasks.py).
DOCUMENTS_PREPARE = env.bool("DOCUMENTS_PREPARE", default=True)
# Connections a report may use side by side for its independent queries, all on the request's
# snapshot (reports/selectors/together.py); 1 runs them one after the other.
REPORT_QUERY_THREADS = env.int("REPORT_QUERY_THREADS", default=2)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TIMEZONE = TIME_ZONE
# A worker that dies mid-task (killed, out of memory) leaves its task to another worker; every
# task is idempotent, so running one twice does no harm.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log through LOGGING (plain or JSON)
# Celery beat reads its schedule from the database, where admins edit it (Django admin →
# Periodic tasks); the entries are defined in inventory_site/scheduling/schedules.py (the
# nightly forecast run among them) and created by `setup_schedules` and after `migrate`.
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Processes a forecast run may use for the engine's work (never more than the CPU count).
FORECAST_PROCESSES = env.int("FORECAST_PROCESSES", default=2)

# --- Cache and sessions ----------------------------------------------------------------------
# Several web servers share one Redis for the cache and the sessions; unset: per-process memory
# cache and sessions in the database.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="inventory"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# --- Logging ---------------------------------------------------------------------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
# "plain" for people at a console, "json" (one object a line) for a log collector.
LOG_FORMAT = env("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "inventory_site.logs.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "inventory_site.logs.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        "inventory.security": {"level": "INFO"},
        "pgserver": {"level": "WARNING"},
        # WeasyPrint turns fontTools' logger up to DEBUG while subsetting fonts (to collect its
        # warnings, which it logs itself): kept from the console, or each PDF logs thousands.
        "fontTools": {"level": "WARNING", "propagate": False},
        "matplotlib": {"level": "WARNING"},
    },
}

# Files served at the site root (favicon.ico, robots.txt), before any URL routing.
WHITENOISE_ROOT = BASE_DIR / "static_root"

# --- Webhooks (integrations) -----------------------------------------------------------------
# Receivers on loopback or private networks (an ERP on the LAN) are refused unless allowed here.
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)
# Seconds before each retry of a failed delivery (1 min ... 6 h): 8 attempts in all.
WEBHOOK_RETRY_DELAYS = [60, 300, 1800, 7200, 21600, 21600, 21600]
