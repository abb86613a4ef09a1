"""Django settings, all read from the environment (see README "Configuration")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from gaoxin.env import (
    ConfigError,
    development_secret_key,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(env_str("GAOXIN_VAR_DIR", str(BASE_DIR / "var")))

GAOXIN_ENV = env_choice("GAOXIN_ENV", "development", ("development", "production", "test"))
PRODUCTION = GAOXIN_ENV == "production"

# Off unless asked for (DEBUG=1), in development too: Django's debug 500 page lists settings and
# environment variables (DATABASE_URL among them) to whoever triggers an error, and the demo is
# shown on shared screens. Tracebacks go to the console log instead (LOGGING below); static
# files are served by whitenoise either way.
DEBUG = env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise ConfigError("DEBUG must be off when GAOXIN_ENV=production")

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ConfigError("SECRET_KEY must be at least 50 characters with 5 distinct ones")
else:
    SECRET_KEY = env_str("SECRET_KEY", "") or development_secret_key(VAR_DIR / "secret_key")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ConfigError("ALLOWED_HOSTS must list the host names this server answers to")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "huey.contrib.djhuey",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "gaoxin.core",
    "gaoxin.accounts",
    "gaoxin.jobs",
    "gaoxin.industries",
    "gaoxin.enterprises",
    "gaoxin.investment",
    "gaoxin.spaces",
    "gaoxin.projects",
    "gaoxin.policies",
    "gaoxin.campaigns",
    "gaoxin.economy",
    "gaoxin.cultivation",
    "gaoxin.dashboard",
    "gaoxin.factcheck",
    "gaoxin.demo",
    "gaoxin.api",
    "ninja",  # its static files: the API docs (Swagger UI) without a CDN
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gaoxin.core.middleware.RefuseControlCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gaoxin.accounts.middleware.TwoFactorMiddleware",  # django-otp's, plus the 2FA gate
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "gaoxin.core.middleware.CurrentZoneMiddleware",
    "gaoxin.core.middleware.SessionRenewalMiddleware",
    # Last, as django-axes asks: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gaoxin.urls"
WSGI_APPLICATION = "gaoxin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gaoxin.core.context_processors.shell",
                "gaoxin.jobs.context_processors.reminders",
            ],
            # Every template's {% url %} remembers what it reversed (core/reversing.py).
            "builtins": ["gaoxin.core.templatetags.urls_remembered"],
        },
    },
]

# Every form renders through one renderer: its empty choice says what to choose ("请选择所属产业")
# instead of Django's "---------" (core/choices.py).
FORM_RENDERER = "gaoxin.core.choices.Renderer"

# --- Database -----------------------------------------------------------------------------
DEFAULT_SQLITE = f"sqlite:///{VAR_DIR / 'gaoxin.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", DEFAULT_SQLITE)
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ConfigError(f"DATABASE_URL is not a database address: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # A file's connections are kept for DB_CONN_MAX_AGE seconds, as on PostgreSQL: opening
    # one (its pragmas, the WAL's above all) cost some 5 ms of CPU, more than a plain signed-in
    # request's own work, on every request (bench/README.md, issue 19). WAL readers hold no
    # lock between requests. An in-memory database lives only as long as its connection.
    if _db["NAME"] in ("", ":memory:"):
        _db["CONN_MAX_AGE"] = 0
    else:
        Path(_db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # the start of a transaction, so two writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20, minimum=1),
    }
    _db["TEST"] = {"NAME": None}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db["CONN_HEALTH_CHECKS"] = True
else:
    raise ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, not {_db['ENGINE']}")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, sessions and login lockout --------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 8 idle hours: SessionRenewalMiddleware renews the session (and the
# cookie's age) when it was last renewed over SESSION_RENEW_AFTER seconds ago, rather than
# writing it on every request.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_RENEW_AFTER = 5 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_HTTP_RESPONSE_CODE = 429
# Behind a reverse proxy, set AXES_IPWARE_PROXY_COUNT so the client's address is read right.
AXES_IPWARE_PROXY_COUNT = env_int("AXES_IPWARE_PROXY_COUNT", 0, minimum=0) or None

# --- Languages and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when it is missing
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "gaoxin.core.staticfinders.PlotlyFinder",
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            # Plain names, but plotly.js (4.8 MB) under a hashed one, gzipped: cached for good
            # in the demo too (gaoxin/core/staticfinders.py).
            else "gaoxin.core.staticfinders.VersionedStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files (policy documents) live outside the web root and have no URL of their own:
# a login-checked view serves them (through the storage, whichever it is). Several web nodes
# share them: GAOXIN_MEDIA_ROOT on a shared mount (NFS, CephFS), or an S3-compatible bucket
# (MinIO, 阿里云 OSS, 腾讯云 COS) with GAOXIN_S3_BUCKET and `pip install "gaoxin[s3]"`.
MEDIA_ROOT = Path(env_str("GAOXIN_MEDIA_ROOT", str(VAR_DIR / "media")))
GAOXIN_S3_BUCKET = env_str("GAOXIN_S3_BUCKET", "")
if GAOXIN_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": GAOXIN_S3_BUCKET,
            # Unset: AWS itself; a MinIO or a cloud's S3-compatible service names its address.
            "endpoint_url": env_str("GAOXIN_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("GAOXIN_S3_REGION", "") or None,
            # Unset: boto3's own chain (an instance role, ~/.aws/credentials).
            "access_key": env_str("GAOXIN_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("GAOXIN_S3_SECRET_KEY", "") or None,
            "location": env_str("GAOXIN_S3_PREFIX", "media"),
            # Private objects: the login-checked view reads them, no URL is ever handed out.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": env_choice(
                "GAOXIN_S3_ADDRESSING", "auto", ("auto", "path", "virtual")
            ),
        },
    }
GAOXIN_UPLOAD_MAX_BYTES = env_int("GAOXIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024, minimum=1024)

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads no cookie: the token goes in a header from <body>
CSRF_FAILURE_VIEW = "gaoxin.core.error_views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Content-Security-Policy ----------------------------------------------------------------
# django-csp sends it on every response that passes its middleware (static files, served by
# WhiteNoise before it, need none); README "Security headers" lists it.
# Scripts: our own static files only. The only inline <script> elements are data blocks
# (json_script, type="application/json"), which the browser never runs and CSP does not
# govern. Every page still carries a fresh nonce (base.html gives it to the htmx <script>), so
# an inline script that must exist is allowed one by one with nonce="{{ request.csp_nonce }}",
# never by 'unsafe-inline'. No 'unsafe-eval': htmx runs with allowEval off (base.html) and the
# Plotly traces drawn here (bar, pie, scatter: SVG) evaluate no strings.
# Styles: our own sheets. No style attribute is written by a template, and Plotly styles its
# charts through the CSSOM (element.style), which CSP does not govern, so no 'unsafe-inline'.
# What plotly.js does add on load are two <style> elements, allowed here by their hashes:
# an empty one it then fills through the CSSOM (its rules for the chart's own elements) and
# MapLibre's fixed stylesheet (plotly.js 4.1.1's bundle; a new plotly.js may change it, and
# tests/e2e/test_csp.py then fails on the refusal). tests/e2e fails on any violation.
PLOTLY_STYLE_HASHES = [
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "" (plotly.js-style-global)
    "'sha256-ji27qzEtxXZW+7dun6UwjHXJ18e6WAin1VvNtkzIE/o='",  # MapLibre's CSS in plotly.js
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, *PLOTLY_STYLE_HASHES],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Two-factor sign-in (django-otp) ---------------------------------------------------------
# Administrators and leaders of a zone whose require_two_factor is on give a TOTP code after
# their password; GAOXIN_REQUIRE_2FA_ADMINS=1 asks it of every administrator, whatever the zone.
GAOXIN_REQUIRE_2FA_ADMINS = env_bool("GAOXIN_REQUIRE_2FA_ADMINS", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "高新")
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) s (django-otp's)
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin shows no TOTP key nor recovery code
GAOXIN_RECOVERY_CODES = 10
GAOXIN_2FA_RECHECK_SECONDS = 300  # how long a session's "code needed or not" is taken as known

# --- History -------------------------------------------------------------------------------
# A change's reason is the note the user wrote (an approval's note, why a blocker was reopened
# or an award withdrawn): a text column, so the note's own limit (its form field) is the only
# one. django-simple-history's default, a 100-character column, refused longer notes on
# PostgreSQL (500) and kept them whole on SQLite.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # A failed request's traceback (django.request logs it at ERROR with exc_info).
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}

# --- Gaoxin ---------------------------------------------------------------------------------
GAOXIN_PAGE_SIZE = env_int("GAOXIN_PAGE_SIZE", 50, minimum=5)
GAOXIN_EXPORT_MAX_ROWS = env_int("GAOXIN_EXPORT_MAX_ROWS", 200_000, minimum=1)

# --- Background jobs and reminders (huey) ---------------------------------------------------
# Without REDIS_URL the queue is a SQLite file under var/ (one worker: `gaoxin worker`, which
# `gaoxin serve` starts beside the development server); with it, Redis, shared by any number
# of workers on any number of machines. Not immediate: the tests make it so (tests/conftest.py).
REDIS_URL = env_str("REDIS_URL", "")
GAOXIN_WORKER_THREADS = env_int("GAOXIN_WORKER_THREADS", 2, minimum=1)
HUEY = {
    "name": env_str("HUEY_QUEUE", "gaoxin"),
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "immediate": False,
    "utc": False,  # crontab() in local time (TIME_ZONE, which Django sets for the process)
    "connection": {"url": REDIS_URL} if REDIS_URL else {"filename": str(VAR_DIR / "jobs.sqlite3")},
    "consumer": {
        "workers": GAOXIN_WORKER_THREADS,
        "worker_type": "thread",
        "periodic": True,
    },
}
# A running job whose worker has said nothing for this long is taken as stopped (killed): its
# owner may run it again. A running job's worker speaks every third of it (at most every 5 s);
# the low minimum is for the test that kills a worker (tests/jobs/test_worker.py).
GAOXIN_JOB_STALE_SECONDS = env_int("GAOXIN_JOB_STALE_SECONDS", 60, minimum=3)
# Such a job is queued again by the workers themselves (each minute, jobs/tasks.py) this many
# times, then failed (its owner may still run it again); 0 turns this off: a stopped job waits
# for its owner (重新运行), and a queued job whose message was lost is not handed on again.
GAOXIN_JOB_RETRIES = env_int("GAOXIN_JOB_RETRIES", 2, minimum=0)
# An export of more rows than this runs as a job (我的任务) instead of inside the request.
GAOXIN_EXPORT_JOB_ROWS = env_int("GAOXIN_EXPORT_JOB_ROWS", 5000, minimum=1)
# The site's address as its users reach it: the links of the reminders' digest (a bot's
# message, an email) are read outside the site.
GAOXIN_SITE_URL = env_str("GAOXIN_SITE_URL", "http://127.0.0.1:8000")
# A reminder channel (企业微信 / 钉钉 bot, email, webhook) that fails is tried again after each
# of these waits, in seconds: "0,5,30" is three tries, the first at once.
try:
    GAOXIN_CHANNEL_RETRY_DELAYS = [
        float(wait) for wait in env_list("GAOXIN_CHANNEL_RETRY_DELAYS", ["0", "5", "30"])
    ]
except ValueError:
    raise ConfigError("GAOXIN_CHANNEL_RETRY_DELAYS must be seconds separated by commas") from None
if any(wait < 0 for wait in GAOXIN_CHANNEL_RETRY_DELAYS):
    raise ConfigError("GAOXIN_CHANNEL_RETRY_DELAYS cannot hold a negative wait")
# An enterprise sheet of more rows than this is checked for its preview by a job too (its
# write always is one): reading and checking 100,000 rows takes some 10 s.
GAOXIN_IMPORT_JOB_ROWS = env_int("GAOXIN_IMPORT_JOB_ROWS", 2000, minimum=1)

# --- Caching figures (core/figure_cache.py) ------------------------------------------------
# The figures of a zone and day are cached until a write touches the zone (its generation,
# kept in the database, moves on), so they are never stale whatever holds them: Redis
# (django-redis) shared by every node when REDIS_URL is set, else each process's memory.
# GAOXIN_FIGURE_CACHE_SECONDS=0 turns the cache off; the timeout only bounds memory.
GAOXIN_FIGURE_CACHE_SECONDS = env_int("GAOXIN_FIGURE_CACHE_SECONDS", 600, minimum=0)
CACHE_URL = env_str("CACHE_URL", REDIS_URL)
# The workers warm the figures readers open, each minute, where a write or a new day left them
# cold (dashboard/warm.py). On by default when the cache is shared: without CACHE_URL each
# process caches in its own memory, and a worker's is read by no web process.
GAOXIN_FIGURE_WARM = env_bool("GAOXIN_FIGURE_WARM", bool(CACHE_URL))
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "gaoxin"),
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "gaoxin",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }
