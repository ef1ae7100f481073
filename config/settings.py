"""Settings for Shenlianti, read from environment variables.

With no variables set the system runs for development on SQLite and the in-memory channel
layer. Production differs only by environment: it sets SECRET_KEY, ALLOWED_HOSTS and, as a
rule, DATABASE_URL and REDIS_URL, and refuses to start without the first two.
"""

from datetime import timedelta
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
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "config.apps.BackgroundTasksConfig",  # django_tasks_db, named for the admin
    "departments",
    "cases",
    "workflow",
    "config.apps.LoginAttemptsConfig",  # django-axes, named for the admin
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check and the HTTPS redirect.
    "config.health.HealthCheckMiddleware",
    "config.metrics.MetricsEndpointMiddleware",
    # nginx's X-Request-ID kept (or one made) for the log lines and the tasks enqueued.
    "config.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    *(
        # In a container the WSGI process serves the collected static files itself
        # (WhiteNoise); behind the host nginx of deploy/README.md nginx serves them.
        ["whitenoise.middleware.WhiteNoiseMiddleware"]
        if env_bool("SERVE_STATIC_FILES", False)
        else []
    ),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last but for the metrics, as django-axes asks: turns a locked-out sign-in into its 429
    # (departments/lockout.py), which the metrics then count.
    "axes.middleware.AxesMiddleware",
    # Request latency, statuses and errors per view (django-prometheus, lean: config/metrics.py).
    "config.metrics.RequestMetricsMiddleware",
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
# The Excel exports of the lists read up to 100,000 rows in one statement: their own limit.
EXPORT_STATEMENT_TIMEOUT_MS = env_int("EXPORT_STATEMENT_TIMEOUT_MS", 60000)
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
# A read replica for the figures and exports (config/replica.py), with the primary's options.
# The replica lags: only reads that may be a few seconds old are sent there.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(
            DATABASE_REPLICA_URL,
            conn_max_age=DATABASE_CONN_MAX_AGE,
            conn_health_checks=DATABASE_CONN_MAX_AGE > 0,
        ),
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests read the test database through it.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.replica.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "departments.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a rule for passwords: its hook revokes the person's API tokens on a password change.
    {"NAME": "departments.authentication.PasswordChangeEndsApiTokens"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "pages:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# The catalogues live beside the packages in a checkout; an installed wheel (the container
# image) keeps them in a folder of their own.
LOCALE_PATHS = [Path(env_str("LOCALE_DIR", str(BASE_DIR / "locale")))]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "config" / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))

# Attachments are stored under random names in MEDIA_ROOT and served only through the API,
# to users who may see the case; MEDIA_ROOT is never exposed by the web server.
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_MB", 20) * 1024 * 1024
# An Office document (a zip archive) may unpack to at most this much, in at most this many
# parts: a 20 MB document of text unpacks to well under 200 MB; a zip bomb to gigabytes.
ATTACHMENT_MAX_UNPACKED_BYTES = 10 * ATTACHMENT_MAX_BYTES
ATTACHMENT_MAX_ENTRIES = 5000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = env_str("REDIS_URL")
# Live updates: in memory for one process; across processes through Redis. CHANNEL_LAYER picks
# the Redis layer: "pubsub" (default: no loss measured at 1000 clients) or "core" (per-channel
# queues bounded by `capacity`, which drop messages in bursts). See docs/realtime.md.
CHANNEL_LAYER = env_str("CHANNEL_LAYER", "pubsub")
REDIS_MAX_CONNECTIONS = env_int("REDIS_MAX_CONNECTIONS", 2000)
# Redis answers at once or counts as down (redis-py would wait 5 s): live updates are hints, so
# a hung Redis must hold neither a handshake nor the publishing loop. While it fails, broadcasts
# are skipped for REALTIME_PAUSE_SECONDS at a time; at most REALTIME_QUEUE_SIZE wait to be sent
# per process (docs/realtime.md, "When Redis fails").
REDIS_CONNECT_TIMEOUT_MS = env_int("REDIS_CONNECT_TIMEOUT_MS", 1000)
REDIS_SOCKET_TIMEOUT_MS = env_int("REDIS_SOCKET_TIMEOUT_MS", 2000)
REALTIME_QUEUE_SIZE = env_int("REALTIME_QUEUE_SIZE", 1000)
REALTIME_PAUSE_SECONDS = env_int("REALTIME_PAUSE_SECONDS", 5)
for _name in ("REDIS_CONNECT_TIMEOUT_MS", "REDIS_SOCKET_TIMEOUT_MS", "REALTIME_QUEUE_SIZE"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1.")
if REDIS_URL:
    _redis_host = {
        "address": REDIS_URL,
        "max_connections": REDIS_MAX_CONNECTIONS,
        "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_MS / 1000,
        "socket_timeout": REDIS_SOCKET_TIMEOUT_MS / 1000,
    }
    if CHANNEL_LAYER == "core":
        # This layer's receive blocks in Redis for up to 5 s (BZPOPMIN with
        # RedisChannelLayer.brpop_timeout): a read may take that long on a healthy server.
        _redis_host["socket_timeout"] += 5
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

# django-axes first: it refuses a locked-out sign-in before the password is hashed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "departments.authentication.OrganisationModelBackend",
]

# Failed sign-ins (django-axes, departments/lockout.py): after LOGIN_FAILURE_LIMIT wrong
# passwords for one account from one address within LOGIN_LOCKOUT_MINUTES, that account is
# locked out from that address (429) until the minutes have passed since the last attempt or
# an administrator unlocks it; after LOGIN_ADDRESS_FAILURE_LIMIT from one address, every
# account is. The pages' login, the admin's and the API's token endpoint alike.
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
# Failures from one address for any accounts (guessing across accounts) before every account is
# locked from there; 0: no such limit. Above LOGIN_FAILURE_LIMIT: an office shares one address.
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 100)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
# Behind a proxy: the request header in which it writes the client's address (deploy/nginx
# sets X-Real-IP); empty: the connection's address.
LOGIN_CLIENT_IP_HEADER = env_str("LOGIN_CLIENT_IP_HEADER", "")
AXES_ENABLED = env_bool("LOGIN_LOCKOUT", True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "departments.lockout.AccountAndAddressHandler"
AXES_RESET_ON_SUCCESS = True
# Every failure is also kept in the admin's 登录失败日志 (the last 1000 per username), so an
# unlock (which deletes the count) leaves the history.
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "departments.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "departments.lockout.client_address"
AXES_VERBOSE = False

# API tokens (departments.models.ApiToken): each sign-in issues a new one, valid for this many
# hours from then (a fixed lifetime, not extended by use); logging out, a password change and
# the administrator revoke them.
API_TOKEN_LIFETIME_HOURS = env_int("API_TOKEN_LIFETIME_HOURS", 7 * 24)
# Sign-in keeps a live token read from the database this many seconds in the "tokens" cache,
# which every process must share for a revocation to reach them all: on by default only with
# Redis (departments/token_cache.py). 0 reads the database on every request.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 30 if REDIS_URL else 0)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "tokens": (
        {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "shenlianti",
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_MS / 1000,
                "socket_timeout": REDIS_SOCKET_TIMEOUT_MS / 1000,
            },
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tokens"}
    ),
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "departments.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.NewestFirstCursorPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["config.api.filters.FilterBackend"],
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.JSONParser",
        "config.api.parsers.FormParser",
        "config.api.parsers.MultiPartParser",
    ],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "config.api.negotiation.ContentNegotiation",
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
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "config.api.schema.add_shared_error_responses",
    ],
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
# One scheduler runs per site (config/singleton.py); another waits this long between asking
# whether it may take over.
SCHEDULER_STANDBY_SECONDS = env_int("SCHEDULER_STANDBY_SECONDS", 10)
# A mail task running longer than this lost its worker: the scheduler, which looks every
# MAIL_RESCUE_SECONDS, puts it back in the queue (workflow/notifications/tasks.py).
MAIL_TASK_STALE_SECONDS = env_int("MAIL_TASK_STALE_SECONDS", 300)
MAIL_RESCUE_SECONDS = env_int("MAIL_RESCUE_SECONDS", 60)
# Working days an organisation has to answer a supervision notice (督办) in writing.
SUPERVISION_ANSWER_DAYS = env_int("SUPERVISION_ANSWER_DAYS", 3)
# /metrics (Prometheus) asks for `Authorization: Bearer <METRICS_TOKEN>`; unset, it exists only
# with DEBUG on. Under gunicorn, PROMETHEUS_MULTIPROC_DIR (read by prometheus_client) sums
# the workers' counters (deploy/README.md).
METRICS_TOKEN = env_str("METRICS_TOKEN")
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
# The right-hand side of each notification e-mail's Message-ID (notification-<id>@…).
EMAIL_MESSAGE_ID_DOMAIN = env_str("EMAIL_MESSAGE_ID_DOMAIN", DEFAULT_FROM_EMAIL.rpartition("@")[2])

# Deadline code reads the date from config/timesource.py; this moves it (YYYY-MM-DD).
SHENLIANTI_TODAY = env_str("SHENLIANTI_TODAY")

# Every line carries the request's id (config/request_id.py). LOG_FORMAT=json writes one JSON
# object a line (time, level, logger, request_id, message) for a log collector.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
# Deployment: HTTPS and the Content-Security-Policy (deploy/README.md, docs/security.md).
# With DEBUG off the site is HTTPS only unless told otherwise: plain HTTP is redirected,
# browsers are told to keep to HTTPS for a year (HSTS; sent on HTTPS responses only) and
# cookies are secure (SECURE_COOKIES, below). `make run` serves plain HTTP on loopback and
# says so with SECURE_SSL_REDIRECT=false and SECURE_COOKIES=false.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading is a commitment made by submitting the domain to the browsers' list,
        # which the operator decides (deploy/README.md); its reminder (W021) is not a fault.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
# A strict policy on every page, development included (django-csp; config/csp.py builds its
# header once): scripts, styles, images and connections (WebSockets too) only from this site,
# nothing inline, no plugins, no framing. Templates use data- attributes and static files
# instead of inline code. With CSP_REPORT_ONLY=true browsers only report what the policy would
# block (to CSP_REPORT_URI).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
CSP_REPORT_URI = env_str("CSP_REPORT_URI")
_csp_directives = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if CSP_REPORT_URI:
    _csp_directives["report-uri"] = [CSP_REPORT_URI]
if CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _csp_directives}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _csp_directives}
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "config.csp.CSPMiddleware",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "config.request_id.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
# django-axes logs every sign-in at INFO; its warnings (failures, lockouts) are enough.
LOGGING.setdefault("loggers", {})["axes"] = {"level": "WARNING"}

if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Interchange (docs/interchange.md): how long a callback may take to answer, when a failed
# message is first tried again (the wait then doubles, up to an hour), and when it is given up.
INTERCHANGE_TIMEOUT_SECONDS = env_int("INTERCHANGE_TIMEOUT_SECONDS", 5)
INTERCHANGE_RETRY_FIRST_SECONDS = env_int("INTERCHANGE_RETRY_FIRST_SECONDS", 30)
INTERCHANGE_RETRY_HOURS = env_int("INTERCHANGE_RETRY_HOURS", 24)
