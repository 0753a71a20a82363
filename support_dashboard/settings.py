"""Settings for the JazzHR support dashboard.

Every value comes from the environment (or a `.env` file beside `manage.py`). With
`APP_ENV=development`, the default, missing values fall back to embedded defaults:
SQLite, a file-system Celery broker and a fixed development encryption key. With
`APP_ENV=production` the process refuses to start until its secrets are set.
"""

from __future__ import annotations

import base64
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from integrations.jazzhr.schedules import INDEX_BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")

APP_ENV = env.str("APP_ENV", default="development")
if APP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"APP_ENV={APP_ENV!r} is invalid: use 'development' or 'production'."
    )
IS_PRODUCTION = APP_ENV == "production"

PRODUCTION_REQUIRED = [
    "SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
]
if IS_PRODUCTION:
    missing = [name for name in PRODUCTION_REQUIRED if not env.str(name, default="")]
    if missing:
        raise ImproperlyConfigured(
            "APP_ENV=production needs these environment variables: "
            + ", ".join(missing)
        )

# Development-only values. They are never used when APP_ENV=production.
DEVELOPMENT_SECRET_KEY = "development-only-secret-key-do-not-use-in-production"
DEVELOPMENT_ENCRYPTION_KEYS = "dev1:" + base64.urlsafe_b64encode(
    b"development-only-aes-256-key-32b"
).decode("ascii")

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "support_dashboard.accounts",
    "support_dashboard.customers",
    "support_dashboard.dashboard",
    "support_dashboard.demo",
    "integrations.jazzhr",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "support_dashboard.urls"
WSGI_APPLICATION = "support_dashboard.wsgi.application"

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
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    # WAL and IMMEDIATE transactions let the web process and the worker share the
    # file without "database is locked" errors under light demo load.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # A file, not memory, so that a worker process started by the tests can open it.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"

DEFAULT_EXCEPTION_REPORTER_FILTER = (
    "support_dashboard.error_reports.SecretHidingReporterFilter"
)

# Requests carry a candidate profile or a key, never files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
if IS_PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)

# Field encryption: comma-separated "key_id:urlsafe-base64 32-byte key" pairs. The
# first key encrypts and every listed key can decrypt. A new key goes first, and the
# old one stays listed until every stored value has been re-encrypted.
FIELD_ENCRYPTION_KEYS = env.str(
    "FIELD_ENCRYPTION_KEYS", default=DEVELOPMENT_ENCRYPTION_KEYS
)

# The cache keeps short-lived JazzHR look-ups (the job list) shared by the web
# process and the workers.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="jazzhr-support"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# JazzHR
# Production talks to the real JazzHR by default. Development defaults to the local
# simulator (`manage.py run_jazzhr_simulator --port 8001`), so that no process
# started by hand sends a demo key or candidate data to the real JazzHR.
REAL_JAZZHR_BASE_URL = "https://api.resumatorapi.com/v1"
LOCAL_SIMULATOR_BASE_URL = "http://127.0.0.1:8001/v1"
JAZZHR_BASE_URL = env.str(
    "JAZZHR_BASE_URL",
    default=REAL_JAZZHR_BASE_URL if IS_PRODUCTION else LOCAL_SIMULATOR_BASE_URL,
)
JAZZHR_CONNECT_TIMEOUT = env.float("JAZZHR_CONNECT_TIMEOUT", default=3.05)
JAZZHR_READ_TIMEOUT = env.float("JAZZHR_READ_TIMEOUT", default=15.0)
# Transient JazzHR errors retry with exponential backoff and full jitter: attempt n
# waits a random time up to min(cap, base * 2**n). A 429 without Retry-After waits
# one rate-limit window instead.
JAZZHR_MAX_ATTEMPTS = env.int("JAZZHR_MAX_ATTEMPTS", default=6)
JAZZHR_RETRY_BASE_SECONDS = env.float("JAZZHR_RETRY_BASE_SECONDS", default=2.0)
JAZZHR_RETRY_CAP_SECONDS = env.float("JAZZHR_RETRY_CAP_SECONDS", default=120.0)
JAZZHR_RATE_LIMIT_BACKOFF_SECONDS = env.float(
    "JAZZHR_RATE_LIMIT_BACKOFF_SECONDS", default=60.0
)
# Requests per minute all processes together send with one key; JazzHR allows about
# 80. Background syncs may use only the share below, which leaves room for uploads.
# 76 reached 0.95 of the limit in bench/upload_throughput.py with no 429, and
# leaves room for requests that reach JazzHR a little after their slot.
JAZZHR_REQUESTS_PER_MINUTE = env.int("JAZZHR_REQUESTS_PER_MINUTE", default=76)
JAZZHR_BACKGROUND_BUDGET_SHARE = env.float(
    "JAZZHR_BACKGROUND_BUDGET_SHARE", default=0.6
)
# A worker owns a claimed check or upload this long; the recovery sweep requeues it
# after that (the worker died). It must exceed the task time limit below.
JAZZHR_WORK_LEASE_SECONDS = env.int("JAZZHR_WORK_LEASE_SECONDS", default=150)
# A queued row whose next attempt is this overdue lost its task message (for
# example in a Redis restart) and is enqueued again.
JAZZHR_LOST_TASK_GRACE_SECONDS = env.int("JAZZHR_LOST_TASK_GRACE_SECONDS", default=120)
# Connect attempts per customer and hour; more are rejected so keys cannot be guessed.
JAZZHR_CONNECT_ATTEMPTS_PER_HOUR = env.int(
    "JAZZHR_CONNECT_ATTEMPTS_PER_HOUR", default=20
)
# Identical uploads of one person within this window become one JazzHR applicant.
JAZZHR_SAME_CANDIDATE_WINDOW_SECONDS = env.int(
    "JAZZHR_SAME_CANDIDATE_WINDOW_SECONDS", default=600
)
# The budget's sliding window; JazzHR's is about 60 s. Tests and benchmarks shrink
# both windows together to run faster.
JAZZHR_BUDGET_WINDOW_SECONDS = env.float("JAZZHR_BUDGET_WINDOW_SECONDS", default=60.0)
# How long a request waits for a free slot before its task is retried later.
JAZZHR_BUDGET_MAX_WAIT_SECONDS = env.float(
    "JAZZHR_BUDGET_MAX_WAIT_SECONDS", default=20.0
)

# Celery. Outcomes are kept on our own models, so task results are ignored.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="jazzhr")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An attempt makes a handful of JazzHR requests, each waiting at most the budget wait
# and the read timeout, so two minutes bound it with room to spare.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=100)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
if CELERY_TASK_TIME_LIMIT >= JAZZHR_WORK_LEASE_SECONDS:
    raise ImproperlyConfigured(
        "CELERY_TASK_TIME_LIMIT must be shorter than JAZZHR_WORK_LEASE_SECONDS."
    )
CELERY_BEAT_SCHEDULE = {
    **INDEX_BEAT_SCHEDULE,
    "recover-stalled-work": {
        "task": "jazzhr.recover_stalled_work",
        "schedule": env.float("JAZZHR_RECOVERY_INTERVAL_SECONDS", default=30.0),
    },
    "validate-connected-keys": {
        "task": "jazzhr.validate_connected_keys",
        "schedule": env.float("JAZZHR_KEY_CHECK_INTERVAL_SECONDS", default=3600.0),
    },
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_FOLDER = Path(
        env.str("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker"))
    )
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "store_processed": False,
        # kombu polls the folder once a second by default, which caps the demo
        # worker at about one task a second.
        "polling_interval": 0.1,
    }
    for folder in ("queue", "processed", "control"):
        (CELERY_BROKER_FOLDER / folder).mkdir(parents=True, exist_ok=True)
else:
    # Unacknowledged tasks come back after this many seconds; every retry delay
    # stays far below it so a retried task is never delivered twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "redact_secrets": {"()": "integrations.jazzhr.redaction.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own console handler would print each of its records twice.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "urllib3": {"level": "WARNING"},
    },
}
