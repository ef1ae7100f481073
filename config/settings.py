"""Settings for Shenlianti, read from environment variables.

With no variables set the system runs for development on SQLite and the in-memory channel
layer. Production differs only by environment: it sets SECRET_KEY, ALLOWED_HOSTS and, as a
rule, DATABASE_URL and REDIS_URL, and refuses to start without the first two.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DEBUG=true for development."
        )
    SECRET_KEY = "django-insecure-development-only-never-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is not set: name the host names this site serves.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "config.apps.BackgroundTasksConfig",  # django_tasks_db, named for the admin
    "departments",
    "cases",
    "workflow",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "config" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "workflow.notifications.context.unread",
            ],
        },
    },
]

# Connections (deploy/README.md): the WSGI workers keep theirs for DATABASE_CONN_MAX_AGE
# seconds (runserver starts a thread per request, so development closes them); the ASGI
# process sets DATABASE_POOL_MAX_SIZE instead, because Django's persistent connections do not
# apply under ASGI and its psycopg pool does (a pool requires CONN_MAX_AGE 0).
DATABASE_POOL_MAX_SIZE = env_int("DATABASE_POOL_MAX_SIZE", 0)
DATABASE_CONN_MAX_AGE = (
    0 if DATABASE_POOL_MAX_SIZE else env_int("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60)
)
# Web requests give up on a statement after this long instead of piling abandoned queries
# into PostgreSQL; the worker, the scheduler and migrations run with 0 (no limit).
DATABASE_STATEMENT_TIMEOUT_MS = env_int("DATABASE_STATEMENT_TIMEOUT_MS", 5000)
# Parallel workers PostgreSQL may start for one query. 0: none. A request's queries are short
# and index-served; on a small machine starting workers for one (an ordered scan that tests a
# text search on each row) made it 10× slower under load (docs/performance.md). A negative
# value keeps the server's own setting.
DATABASE_PARALLEL_WORKERS = env_int("DATABASE_PARALLEL_WORKERS", 0)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=DATABASE_CONN_MAX_AGE,
        conn_health_checks=DATABASE_CONN_MAX_AGE > 0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a competing writer instead of failing at once with "database is locked".
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    _pg_options = DATABASES["default"].setdefault("OPTIONS", {})
    # No JIT compilation: it suits long analytic queries, and adds tens of milliseconds to the
    # short ones a request makes whenever the planner's estimate crosses its threshold.
    _pg_options["options"] = "-c jit=off"
    if DATABASE_STATEMENT_TIMEOUT_MS:
        _pg_options["options"] += f" -c statement_timeout={DATABASE_STATEMENT_TIMEOUT_MS}"
    if DATABASE_PARALLEL_WORKERS >= 0:
        _pg_options["options"] += f" -c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}"
    if DATABASE_POOL_MAX_SIZE:
        _pg_options["pool"] = {"min_size": 1, "max_size": DATABASE_POOL_MAX_SIZE, "timeout": 10}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "departments.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Attachments are stored under random names in MEDIA_ROOT and served only through the API,
# to users who may see the case; MEDIA_ROOT is never exposed by the web server.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL")
# Live updates: in memory for one process; across processes through Redis. CHANNEL_LAYER picks
# the Redis layer: "pubsub" (default: no loss measured at 1000 clients) or "core" (per-channel
# queues bounded by `capacity`, which drop messages in bursts). See docs/realtime.md.
CHANNEL_LAYER = env_str("CHANNEL_LAYER", "pubsub")
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 2000)
if REDIS_URL:
    _redis_host = {"address": REDIS_URL, "max_connections": REDIS_MAX_CONNECTIONS}
    if CHANNEL_LAYER == "core":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [_redis_host], "capacity": 2000, "expiry": 30},
            }
        }
    elif CHANNEL_LAYER == "pubsub":
        CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [_redis_host]},
            }
        }
    else:
        raise ImproperlyConfigured("CHANNEL_LAYER must be 'pubsub' or 'core'.")
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

AUTHENTICATION_BACKENDS = ["departments.authentication.OrganisationModelBackend"]

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "departments.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.FilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shenlianti (审联体) API",
    "DESCRIPTION": "Cross-department case coordination: cases, action items, joint sessions.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.models.Case.Status",
        "ActionItemStatusEnum": "workflow.items.models.ActionItem.Status",
        "NotificationKindEnum": "workflow.notifications.models.Notification.Kind",
        "ClockKindEnum": "workflow.deadlines.models.Clock.Kind",
        "ClockStateEnum": "workflow.deadlines.models.Clock.State",
        "ExtensionStatusEnum": "workflow.extensions.models.Extension.Status",
        "SupervisionStatusEnum": "workflow.supervision.models.SupervisionNotice.Status",
        "OrganisationKindEnum": "departments.models.Organisation.Kind",
        "SessionStatusEnum": "workflow.sessions.models.JointSession.Status",
        "ParticipantStatusEnum": "workflow.sessions.models.SessionParticipant.Rsvp",
        "ParticipantCapacityEnum": "workflow.sessions.models.SessionParticipant.Capacity",
        "OpinionStanceEnum": "workflow.sessions.models.Opinion.Stance",
        # Transition names that action items and sessions share.
        "StartTransitionNameEnum": [("start", "start")],
        "CancelTransitionNameEnum": [("cancel", "cancel")],
        # ... that extensions and rule sign-offs share, and cases and rule sign-offs.
        "ApproveTransitionNameEnum": [("approve", "approve")],
        "SendBackTransitionNameEnum": [("send_back", "send_back")],
    },
}

# Background work (django-tasks): the database backend, run by `manage.py db_worker`;
# `manage.py run_scheduler` enqueues the time-limit scan every SCAN_INTERVAL_SECONDS.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
SCAN_INTERVAL_SECONDS = env_int("SCAN_INTERVAL_SECONDS", 3600)
# Working days an organisation has to answer a supervision notice (督办) in writing.
SUPERVISION_ANSWER_DAYS = env_int("SUPERVISION_ANSWER_DAYS", 3)
# The address in links that leave the site (emails).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

# Email, sent only by the worker: the console by default, SMTP when EMAIL_HOST is set.
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shenlianti@localhost")

# Deadline code reads the date from config/timesource.py; this moves it (YYYY-MM-DD).
SHENLIANTI_TODAY = env_str("SHENLIANTI_TODAY")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
