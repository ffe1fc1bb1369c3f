"""Trackify settings. Every value is read from the environment (see the API contract's table)."""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp import constants as csp_constants
from django.core.exceptions import ImproperlyConfigured

from notifications.email_url import email_settings

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return default if value in (None, "") else value


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in (env(name, default) or "").split(",") if part.strip()]


DEBUG = env_bool("DEBUG", False)

# Development defaults: usable only with DEBUG on, and announced when used.
_DEV_SECRET_KEY = "dev-insecure-trackify-secret-key-do-not-use-in-production-0123456789"
_DEV_ENCRYPTION_KEY = "0DFUq0e4Yb5ZmVv7B3pG-BkqPcu_tS9AT8yYcJ2LN1c="

SECRET_KEY = env("SECRET_KEY")
CREDENTIALS_ENCRYPTION_KEYS = env_list("CREDENTIALS_ENCRYPTION_KEYS")
_missing = [
    name
    for name, value in (("SECRET_KEY", SECRET_KEY), ("CREDENTIALS_ENCRYPTION_KEYS", CREDENTIALS_ENCRYPTION_KEYS))
    if not value
]
if _missing:
    if not DEBUG:
        raise ImproperlyConfigured(f"Set {', '.join(_missing)} in the environment (required when DEBUG is off).")
    # Once per start: runserver's autoreloader imports the settings again in its child process
    # (RUN_MAIN), and `make run` silences it in its set-up commands (see the Makefile).
    if os.environ.get("RUN_MAIN") != "true":
        warnings.warn(
            f"DEBUG is on and {' and '.join(_missing)} {'are' if len(_missing) > 1 else 'is'} not set: "
            "using development defaults.",
            stacklevel=1,
        )
    SECRET_KEY = SECRET_KEY or _DEV_SECRET_KEY
    CREDENTIALS_ENCRYPTION_KEYS = CREDENTIALS_ENCRYPTION_KEYS or [_DEV_ENCRYPTION_KEY]

PUBLIC_BASE_URL = (env("PUBLIC_BASE_URL", "http://127.0.0.1:8000") or "").rstrip("/")
# The links the app sends (payment link, webhook URL) must open: their host is allowed by default.
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ",".join(["127.0.0.1", "localhost", urlsplit(PUBLIC_BASE_URL).hostname or ""]))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "knox",  # API tokens, stored hashed, with expiry (rest_framework.authtoken kept them in plain text)
    "drf_spectacular",
    "axes",
    "csp",
    "accounts",  # after knox: its admin replaces knox's token admin
    "activity",  # each invoice's timeline
    "invoices",
    "payments",
    "sandbox",  # the offline payment provider behind the sandbox gateway
    "notifications",  # emails (sent from tasks), PDFs and payment reminders
    "recurring",  # recurring invoice templates and autopay
    "reports",  # the owner's reports: summary, charts, CSV
    "trackify",  # its migration creates the database cache's table
    "django_celery_beat",  # the schedules, stored in the database and editable in the admin
]

MIDDLEWARE = [
    # First: every response carries the request id, and every request is timed for the metrics.
    "trackify.request_id.RequestIdMiddleware",
    # /healthz, /readyz and /metrics answer before the TLS redirect and the host check: a load
    # balancer probes over plain HTTP with the instance's IP as Host (docs/operations.md).
    "trackify.health.OpsEndpointsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so the files it serves (the built app's pages) carry the policy too.
    "csp.middleware.CSPMiddleware",
    # Before CommonMiddleware and CSRF read the Host: a disallowed one gets JSON under /api/ with
    # DEBUG on too (with it off, Django also routes it to handler400, which answers the same).
    "trackify.host_check.ApiHostMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a sign-in refused during a lockout into accounts.lockout's 429.
    "axes.middleware.AxesMiddleware",
]

# Axes first: it refuses a locked-out sign-in before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "trackify.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trackify" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "trackify.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}") or "",
        conn_max_age=int(env("DB_CONN_MAX_AGE", "0") or 0),
        # A kept connection is checked before each request or task reuses it (a restarted
        # database would otherwise fail the first request on each worker).
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # Several threads (the dev server, the sandbox checkout) write at once: wait for the lock.
        timeout=20,
        # Take the write lock when a transaction begins. SQLite's default (DEFERRED) upgrades a
        # read lock at the first write, and a second writer then fails at once with "database is
        # locked" (no waiting), half way through a refund or a checkout.
        transaction_mode="IMMEDIATE",
        # WAL: readers do not wait for the writer, nor the writer for readers.
        init_command="PRAGMA journal_mode=WAL;",
    )

REDIS_URL = env("REDIS_URL")
# A Redis that stops answering fails a cache call within a second instead of holding a request
# (and /readyz) until the operating system gives up on the connection.
REDIS_SOCKET_OPTIONS = {"socket_connect_timeout": 1.0, "socket_timeout": 1.0}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": REDIS_SOCKET_OPTIONS,
        }
    }
else:
    # Rate-limit counts must be shared by every worker process and server: a process's own
    # memory is not. The table is created by the trackify app's migration (createcachetable).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "trackify_cache",
            # Past MAX_ENTRIES Django drops a third of the entries, counts included: keep it high.
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# Background work (trackify/celery.py). With no broker, tasks run in the web process right after
# the commit that enqueued them (core.background.enqueue): the one-command demo needs no Redis.
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or REDIS_URL or ""
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
# A message is acknowledged only after its task finished: a worker killed mid-task loses nothing,
# the broker delivers the message again (tasks are idempotent). A task whose worker died is
# redelivered after the visibility timeout.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "300") or 300)}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A broker that cannot be reached fails the send within about a second (the enqueue is logged,
# the stored row waits for the sweep): a webhook is never held up by Redis being down.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Webhook events (payments/tasks.py): tries per event before it is left failed for the admin,
# the first retry's delay (doubling each time), and how old an unfinished event must be before
# the periodic sweep enqueues it again.
WEBHOOK_MAX_ATTEMPTS = int(env("WEBHOOK_MAX_ATTEMPTS", "6") or 6)
WEBHOOK_RETRY_BACKOFF_SECONDS = float(env("WEBHOOK_RETRY_BACKOFF_SECONDS", "5") or 5)
WEBHOOK_SWEEP_AFTER_SECONDS = float(env("WEBHOOK_SWEEP_AFTER_SECONDS", "30") or 0)

# Email (notifications/email_url.py, docs/emails.md): EMAIL_URL, DEFAULT_FROM_EMAIL, EMAIL_TIMEOUT,
# REMINDER_GRACE_DAYS. Emails are sent from tasks, never inside a request.
globals().update(email_settings(os.environ, debug=DEBUG))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
FRONTEND_DIST = BASE_DIR / "frontend" / "dist"
STATICFILES_DIRS: list[Path] = []
# Uploaded files (business logos only), served by accounts.api.profile_views.logo_file.
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")) or BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_ROOT = FRONTEND_DIST if FRONTEND_DIST.is_dir() else None

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The webhook body is read whole before its signature is checked: keep it small.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
WEBHOOK_MAX_BODY_BYTES = int(env("WEBHOOK_MAX_BODY_BYTES", str(256 * 1024)) or 0)

PUBLIC_RATE_LIMIT = env("PUBLIC_RATE_LIMIT", "120/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes an anonymous call a 401, not a 403.
        "accounts.tokens.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "trackify.api.Pagination",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["trackify.api.DecimalJSONParser"],
    "EXCEPTION_HANDLER": "trackify.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DEFAULT_THROTTLE_RATES": {"public": None if (PUBLIC_RATE_LIMIT or "").lower() == "off" else PUBLIC_RATE_LIMIT},
    # Rate limits count per client IP. Left unset, DRF believes any X-Forwarded-For header, so a
    # client could reset its count by sending a new one each time: trust only the number of
    # proxies in front of the app (NUM_PROXIES=1 behind one load balancer; 0 uses REMOTE_ADDR).
    "NUM_PROXIES": int(env("NUM_PROXIES", "0") or 0),
}
# API tokens expire after this many hours (30 days by default); see accounts/tokens.py.
REST_KNOX = {"TOKEN_TTL": timedelta(hours=int(env("API_TOKEN_TTL_HOURS", "720") or 720)), "AUTH_HEADER_PREFIX": "Token"}

SPECTACULAR_SETTINGS = {
    "TITLE": "Trackify Payments API",
    "DESCRIPTION": "Invoices, gateway configuration, hosted checkout, refunds and webhooks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "InvoiceStatusEnum": "invoices.models.InvoiceStatus",
        "PaymentStatusEnum": "payments.state.PaymentStatus",
        "RefundStatusEnum": "payments.state.RefundStatus",
    },
}

# Stripe: the API base is a setting so every Stripe call can go to a local server in tests.
STRIPE_API_BASE = env("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY") or env("STRIPE_TEST_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY") or env("STRIPE_TEST_PUBLIC_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")

# How long a status read waits before asking the gateway again about one pending payment.
PAYMENT_REFRESH_INTERVAL_SECONDS = int(env("PAYMENT_REFRESH_INTERVAL_SECONDS", "10") or 10)
# How long a hosted checkout stays open (Stripe allows 30 minutes to 24 hours).
CHECKOUT_EXPIRY_MINUTES = int(env("CHECKOUT_EXPIRY_MINUTES", "60") or 60)
# Anyone with the payment link can open checkouts: at most this many open (pending) per invoice.
MAX_OPEN_CHECKOUTS_PER_INVOICE = int(env("MAX_OPEN_CHECKOUTS_PER_INVOICE", "5") or 5)
# The sandbox's "Pay later" settles this many seconds after the payer chose it.
SANDBOX_ASYNC_SETTLE_SECONDS = int(env("SANDBOX_ASYNC_SETTLE_SECONDS", "3") or 0)

CORS_ALLOWED_ORIGINS = env_list("CORS_ALLOWED_ORIGINS")
CORS_ALLOW_CREDENTIALS = True
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS") + CORS_ALLOWED_ORIGINS

# Production hardening (python manage.py check --deploy passes with DEBUG=0).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000") or 0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy on every response. No inline script anywhere: the built app and the
# admin load theirs from files; the sandbox page's inline <style> carries the request's nonce.
# form-action also names the public origin: the sandbox page's form redirects to a link built
# from PUBLIC_BASE_URL, and browsers check a form's redirects against form-action too.
_PUBLIC_ORIGIN = "{0.scheme}://{0.netloc}".format(urlsplit(PUBLIC_BASE_URL))
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", csp_constants.NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'", _PUBLIC_ORIGIN],
    }
}

# Sign-in lockout (django-axes): this many failures for one username from one address lock that
# pair out for the cool-off; each failure during it starts the cool-off again. The admin, the
# API's login and its token endpoint all count, and a success resets the count.
AXES_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5") or 5)
AXES_COOLOFF_TIME = timedelta(minutes=int(env("LOGIN_LOCKOUT_MINUTES", "15") or 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# No banner on every manage.py command; failures and lockouts are still logged.
AXES_VERBOSE = False

# Operations (docs/operations.md). LOG_FORMAT=json writes one JSON object per line (`make serve`);
# "plain" is the demo's readable text. Both carry the request id. LOG_REQUESTS adds a line per request.
LOG_FORMAT = (env("LOG_FORMAT", "plain") or "plain").lower()
LOG_REQUESTS = env_bool("LOG_REQUESTS", LOG_FORMAT == "json")
# When set, GET /metrics requires "Authorization: Bearer <METRICS_TOKEN>"; unset, it is open (keep
# it on the internal network). Each readiness check gives up after this many seconds.
METRICS_TOKEN = env("METRICS_TOKEN")
HEALTH_CHECK_TIMEOUT = float(env("HEALTH_CHECK_TIMEOUT", "1") or 1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": True,
        },
    },
    # Every handler stamps the request id and redacts secrets (API keys, webhook secrets,
    # Authorization values, passwords) from whatever reaches it, whichever logger wrote it.
    "filters": {
        "request_id": {"()": "trackify.request_id.RequestIdFilter"},
        "redact_secrets": {"()": "trackify.logging.RedactSecretsFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "redact_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    # The Stripe SDK logs request and response bodies at DEBUG (customer emails, amounts).
    "loggers": {
        # Django's own default gives "django" a console handler too, and its records also reach
        # the root's: every "Not Found" / "Unauthorized" line was printed twice. Root's only.
        "django": {"handlers": [], "level": "INFO"},
        "django.db.backends": {"level": "WARNING"},
        "stripe": {"level": "INFO"},
    },
}
