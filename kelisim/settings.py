"""Kelisim settings.

Everything that differs between a laptop and a server comes from environment variables; the
defaults are safe for local use (SQLite, console email, tasks in the database). Set
``KELISIM_ENV=production`` for a deployment: secrets are then required and the security
headers, HTTPS and cookie flags are on, so that ``check --deploy`` reports nothing.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kelisim.core import objectstorage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("KELISIM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


KELISIM_ENV = os.environ.get("KELISIM_ENV", "local")
PRODUCTION = KELISIM_ENV == "production"
TESTING = os.environ.get("KELISIM_TESTING") == "1"
# The release a node runs (the commit), reported by /healthz so that a rolling upgrade can be followed node by
# node: the deploy step sets KELISIM_RELEASE or writes a RELEASE file beside manage.py. Read once, here.
RELEASE = os.environ.get("KELISIM_RELEASE", "").strip() or (
    (BASE_DIR / "RELEASE").read_text().strip() if (BASE_DIR / "RELEASE").is_file() else ""
)

# Off unless a developer asks for it (DEBUG=1): `make run` serves as a server does, with the site's own error pages.
DEBUG = env_bool("DEBUG", False)


def local_secret_key() -> str:
    """A random key made once into var/secret_key (readable by its owner only), kept across restarts."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        draft = VAR_DIR / f".secret_key.{os.getpid()}"
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as key_file:
            key_file.write(secrets.token_urlsafe(64))
        try:
            os.link(draft, path)  # atomic: of processes starting together, one key wins and all read it
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("KELISIM_ENV=production needs SECRET_KEY: a random string of 50 characters or more.")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY") or ("tests-only-key-" + "x" * 50 if TESTING else local_secret_key())

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The address links in emails and feeds start with. Locally it follows the port `make run` serves (PORT).
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{os.environ.get('PORT') or '8000'}").rstrip("/")

INSTALLED_APPS = [
    # Kelisim first, so that its templates and translations take precedence over the libraries'.
    # In the order of the flow: later apps may import earlier ones, never the reverse.
    "kelisim.core",
    "kelisim.accounts",
    "kelisim.notifications",
    "kelisim.organisations",
    "kelisim.comments",
    "kelisim.consultations",
    "kelisim.meetings",
    "kelisim.plans",
    "kelisim.funding",
    "kelisim.activities",
    "kelisim.reports",
    "kelisim.publications",
    "kelisim.worklists",
    "kelisim.api",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "csp",
]

MIDDLEWARE = [
    "kelisim.core.pagecache.PublicCacheSafetyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Second, so that every answer has the policy, including those that middleware below gives (413, 422, 429).
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kelisim.core.middleware.RequestSizeMiddleware",
    "kelisim.api.throttling.ApiThrottleMiddleware",
    "kelisim.core.middleware.UnstorableInputMiddleware",
    "kelisim.api.idempotency.IdempotencyMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kelisim.core.submission.SubmissionTokenMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "kelisim.accounts.middleware.StaffSessionPolicyMiddleware",
    "kelisim.core.middleware.DatabaseOutageMiddleware",
    "kelisim.api.cache.PublicApiCacheMiddleware",
]

ROOT_URLCONF = "kelisim.urls"
WSGI_APPLICATION = "kelisim.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "kelisim.core.context_processors.site",
                "kelisim.core.pagecache.context",
            ],
        },
    },
]

# Every invalid field is marked aria-invalid and described by its error (kelisim.core.forms).
FORM_RENDERER = "kelisim.core.forms.FormRenderer"

# --- Database -----------------------------------------------------------------------------
# SQLite out of the box; PostgreSQL (or any URL dj-database-url knows) when DATABASE_URL is set.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'kelisim.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker and the web process read and write side by side.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
        "PRAGMA cache_size=-512;",
        "cached_statements": 32,
        "transaction_mode": "IMMEDIATE",
    }
    # Connections are kept between requests (DB_CONN_MAX_AGE) as on PostgreSQL: opening one costs the PRAGMAs and
    # the reading of the schema, 4–5 ms a request on the bench database (a signed-in request that only reads its
    # session: 253 -> 653 req/s over HTTP). Outside a request nothing holds a transaction open on them.
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("KELISIM_TEST_DB_NAME") or None}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits live here) ----------------------------------------------------------
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kelisim"}}

# --- Public pages rendered once per change (kelisim/core/pagecache.py, docs/architecture.md) ------------------
# Versions must be shared by every process that writes or serves: the shared cache with Redis, else small files
# under VAR_DIR (one machine). Rendered pages may stay in each process: their key contains the versions.
PAGECACHE_ENABLED = env_bool("PAGECACHE_ENABLED", True)
# Tests never commit (each runs in a transaction): bump at the write instead of after commit.
PAGECACHE_BUMP_AT_WRITE = TESTING
PAGECACHE_VERSIONS = "cache" if (os.environ.get("REDIS_URL") or TESTING) else "files"
PAGECACHE_VERSIONS_DIR = Path(os.environ.get("PAGECACHE_VERSIONS_DIR", VAR_DIR / "pagecache"))
PAGECACHE_TIMEOUT = int(os.environ.get("PAGECACHE_TIMEOUT", "60"))  # bounds time-dependent content
# Anonymous visitors with one of these cookies see personal bits ("you support this", their reaction): their
# pages are rendered for them. Core tables written all the time that no public page shows do not bump "core".
PAGECACHE_PERSONAL_COOKIES = ("kelisim_supporter", "kelisim_browser")
PAGECACHE_IGNORED_TABLES = ("core_outboxemail", "core_workerheartbeat", "core_periodicslot")
PAGECACHE_PROXY_SECONDS = int(os.environ.get("PAGECACHE_PROXY_SECONDS", "10"))  # public max-age (nginx)
# Without Redis the rendered pages are files under VAR_DIR/pages, shared by every gunicorn process of the machine:
# a change is rendered once, not once per process, and the pages do not sit in each worker's memory (issue 13).
# PAGECACHE_STORE=memory keeps them in each process instead (faster to read, rendered and held once per process).
PAGECACHE_STORE = os.environ.get("PAGECACHE_STORE", "redis" if os.environ.get("REDIS_URL") else "files")
_PAGECACHE_STORES = ("redis", "files", "memory") if os.environ.get("REDIS_URL") else ("files", "memory")
if PAGECACHE_STORE not in _PAGECACHE_STORES:
    raise ImproperlyConfigured("PAGECACHE_STORE is files, memory, or redis (which needs REDIS_URL).")
if not TESTING:  # tests keep pages in the default cache, which each test empties
    CACHES["pages"] = {
        "redis": {**CACHES["default"], "KEY_PREFIX": "pages"},
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "pages"),
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGECACHE_MAX_ENTRIES", "5000"))},
        },
        "memory": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "kelisim-pages",
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("PAGECACHE_MAX_ENTRIES", "300"))},
        },
    }[PAGECACHE_STORE]

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "kelisim.accounts.backends.PasswordBackend",
    "kelisim.accounts.backends.AccountBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

SITE_ID = 1
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
ACCOUNT_ADAPTER = "kelisim.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Kelisim] "
# Failed sign-ins are counted per address, and per (account, address) pair: an attacker elsewhere
# can exhaust only their own pair (see AccountAdapter). Across every address, an account's own limit pauses
# password sign-in and emails the owner a one-time link (kelisim.accounts.signin_limits).
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/5m/key",
    "signup": "10/h/ip",
    "confirm_email": "3/m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_TOLERANCE = 1  # accept the neighbouring 30-second code: phone clocks drift
# Wrong codes are limited per (account, address), not per account, so that an attacker who has the password
# cannot lock the staff member out (kelisim.accounts.signin_limits).
MFA_FORMS = {
    "authenticate": "kelisim.accounts.mfa_forms.LimitedAuthenticateForm",
    "reauthenticate": "kelisim.accounts.mfa_forms.LimitedReauthenticateForm",
}
# Behind a reverse proxy: how many proxies append to X-Forwarded-For, or a header that carries the
# client address. Rate limits (sign-in and anonymous writes) read the visitor's address through these.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("TRUSTED_CLIENT_IP_HEADER") or None
MFA_TOTP_ISSUER = "Kelisim"

# Sessions: two weeks for citizens and NGO members; staff are signed out after 30 idle minutes
# (StaffSessionPolicyMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(60 * 60 * 24 * 14)))
STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("STAFF_SESSION_IDLE_SECONDS", "1800"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Kept in the database and read through a cache every process of the machine (or, with Redis, of the cluster)
# shares: reading the session row was a query on every signed-in page (issue 13). Never a cache of one process
# alone, which would keep a signed-out session alive in the others.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_CACHE_ALIAS = "default" if TESTING else "sessions"
if not TESTING:
    CACHES["sessions"] = (
        {**CACHES["default"], "KEY_PREFIX": "sessions"}
        if os.environ.get("REDIS_URL")
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "sessions"),
            # Past this many, a third are dropped from the cache (each is read from the database again once).
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SESSION_CACHE_MAX_ENTRIES", "20000"))},
        }
    )

# --- Languages ------------------------------------------------------------------------------
LANGUAGE_CODE = "ru"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS: list[Path] = []  # each app keeps its own catalogues in <app>/locale
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Almaty"

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- Object storage (issue 12) ---------------------------------------------------------------
# STORAGE_URL (or S3_BUCKET and friends) moves uploads to an S3-compatible bucket shared by every node;
# objects are private and served through the application's views. Without it: MEDIA_ROOT on this disk.
STORAGES["default"] = objectstorage.storages(os.environ)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# The largest multipart request (the largest file the platform takes, with its form); a larger one gets 413
# before anything reads it (kelisim.core.middleware.RequestSizeMiddleware), as does any other body over 10 MB.
MAX_UPLOAD_REQUEST_BYTES = int(os.environ.get("MAX_UPLOAD_REQUEST_MB", "25")) * 1024 * 1024

# --- Email: every message goes through the outbox and a background task ---------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A hung SMTP server must delay mail, not hold a worker (and the tasks queued behind it) for ever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "15"))
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kelisim <noreply@kelisim.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Suggestions by email: the intake mailbox, read over IMAP by a periodic task (consultations.mailbox) ----
# No host, no reading. Security: ssl (IMAPS, port 993), starttls (143), or none (a local test server only).
EMAIL_INTAKE_HOST = os.environ.get("EMAIL_INTAKE_HOST", "")
EMAIL_INTAKE_SECURITY = os.environ.get("EMAIL_INTAKE_SECURITY", "ssl")
EMAIL_INTAKE_PORT = int(os.environ.get("EMAIL_INTAKE_PORT", "993" if EMAIL_INTAKE_SECURITY == "ssl" else "143"))
EMAIL_INTAKE_USER = os.environ.get("EMAIL_INTAKE_USER", "")
EMAIL_INTAKE_PASSWORD = os.environ.get("EMAIL_INTAKE_PASSWORD", "")
EMAIL_INTAKE_CA_FILE = os.environ.get("EMAIL_INTAKE_CA_FILE", "")  # a private CA's certificate; else the system's
EMAIL_INTAKE_INBOX = os.environ.get("EMAIL_INTAKE_INBOX", "INBOX")
EMAIL_INTAKE_DONE_FOLDER = os.environ.get("EMAIL_INTAKE_DONE_FOLDER", "Kelisim-Done")
EMAIL_INTAKE_ATTENTION_FOLDER = os.environ.get("EMAIL_INTAKE_ATTENTION_FOLDER", "Kelisim-Needs-Attention")
EMAIL_INTAKE_MAX_BYTES = int(os.environ.get("EMAIL_INTAKE_MAX_MB", "25")) * 1024 * 1024
EMAIL_INTAKE_BATCH = int(os.environ.get("EMAIL_INTAKE_BATCH", "500"))  # messages per run; the rest wait
EMAIL_INTAKE_EVERY_SECONDS = int(os.environ.get("EMAIL_INTAKE_EVERY_SECONDS", "60"))
EMAIL_INTAKE_TIMEOUT = int(os.environ.get("EMAIL_INTAKE_TIMEOUT", "30"))

# --- Background tasks -----------------------------------------------------------------------
# The database backend needs no extra service; `make run` starts a worker beside the web server.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend",
        ),
        "QUEUES": [],
    }
}

# The broker-backed alternative for production: TASKS_BACKEND=django_tasks_rq.RQBackend with REDIS_URL, and
# `manage.py rqworker default email` instead of `db_worker` (guarantees compared in docs/operations.md).
# Every job gets RQ retries (kelisim.core.rq), so that a job whose worker was killed runs again.
if TASKS["default"]["BACKEND"].startswith("django_tasks_rq."):
    INSTALLED_APPS.append("django_rq")
    _rq_redis = os.environ.get("RQ_REDIS_URL") or os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {name: {"URL": _rq_redis, "DEFAULT_TIMEOUT": 900} for name in ("default", "email")}
    # Workers must run django-tasks-rq's Job class (it calls the Task inside); set here so `rqworker` needs no option.
    RQ = {"QUEUE_CLASS": "kelisim.core.rq.RetryingQueue", "JOB_CLASS": "django_tasks_rq.Job"}

# A task RUNNING under a worker whose heartbeat is older than the lease is taken up by another worker.
TASK_LEASE_SECONDS = int(os.environ.get("TASK_LEASE_SECONDS", "60"))
TASK_HEARTBEAT_SECONDS = int(os.environ.get("TASK_HEARTBEAT_SECONDS", "10"))
TASK_MAX_ATTEMPTS = int(os.environ.get("TASK_MAX_ATTEMPTS", "5"))

# --- Security -------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Observability (issue 12): metrics, JSON logs with request ids, error reports ---------------------
# django-prometheus around every request; Kelisim's timers on every database query and cache call; /metrics
# for METRICS_TOKEN or METRICS_ALLOWED_IPS only (kelisim/core/metrics.py). Request ids, JSON lines:
# kelisim/core/observability.py.
INSTALLED_APPS.append("django_prometheus")
MIDDLEWARE.insert(0, "kelisim.core.observability.RequestIdMiddleware")
MIDDLEWARE.insert(1, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "kelisim.core.metrics.TimedRedisCache"
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
PROMETHEUS_EXPORT_MIGRATIONS = False

LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "kelisim.core.observability.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",  # ISO 8601 in UTC
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    # LOG_LEVEL=INFO adds one line per request (kelisim.request) and two per task run (kelisim.task).
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    from kelisim.core.observability import sentry_before_send

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=KELISIM_ENV,
        send_default_pii=False,  # no addresses, cookies or user data leave the site
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        before_send=sentry_before_send,
    )

# --- Kelisim ----------------------------------------------------------------------------------
KELISIM_API_PAGE_SIZE = 50
KELISIM_API_MAX_PAGE_SIZE = 200
# API requests a minute, from one network address and with one token (kelisim.api.throttling).
API_THROTTLE_PER_ADDRESS = int(os.environ.get("API_THROTTLE_PER_ADDRESS", "240"))
API_THROTTLE_PER_TOKEN = int(os.environ.get("API_THROTTLE_PER_TOKEN", "120"))
SIMPLE_HISTORY_REVERT_DISABLED = True
TOKEN_TTL = timedelta(days=365)

# --- Open data --------------------------------------------------------------------------------
# The OCDS ocid prefix: "ocds-" and six characters given to each publisher. Register yours with the OCDS
# helpdesk (data@open-contracting.org) and set KELISIM_OCID_PREFIX; the default below is nobody's and
# `manage.py check` warns about it in production.
KELISIM_OCID_PREFIX = os.environ.get("KELISIM_OCID_PREFIX", "ocds-000000")
# The 360Giving identifier prefix of the publisher (an org-id.guide identifier), used in grant ids.
KELISIM_360_PREFIX = os.environ.get("KELISIM_360_PREFIX", "360G-kelisim")
# The publisher of the open data: the programme office, with its BIN (its organisation identifier
# KZ-BIN-<BIN> in OCDS, 360Giving and IATI).
KELISIM_PUBLISHER_NAME = os.environ.get("KELISIM_PUBLISHER_NAME", "Kelisim programme office")
KELISIM_PUBLISHER_BIN = os.environ.get("KELISIM_PUBLISHER_BIN", "")
# The official schema files of OCDS, 360Giving and IATI (tests validate the exports against them; they are
# not copied into the project): ../shared/schemas beside the project, else /work/shared/schemas.
KELISIM_SCHEMAS_DIR = Path(
    os.environ.get("KELISIM_SCHEMAS_DIR")
    or next(
        (p for p in (BASE_DIR.parent / "shared" / "schemas", Path("/work/shared/schemas")) if p.is_dir()),
        BASE_DIR.parent / "shared" / "schemas",
    )
)
