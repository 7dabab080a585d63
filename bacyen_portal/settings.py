"""Settings of the portal: one module, read from the environment.

Every variable has an embedded default (SQLite, tasks in-process, local media) and a line in
the README's configuration table. In full mode (``PORTAL_MODE=full``) the variables that must
not fall back to a default are required, and a missing one stops start-up with its name.
"""

import ipaddress
import os
import re
import secrets
from datetime import time, timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

PORTAL_MODE = env.str("PORTAL_MODE", default="embedded")
if PORTAL_MODE not in ("embedded", "full"):
    raise ImproperlyConfigured(
        f"PORTAL_MODE phải là 'embedded' hoặc 'full', không phải {PORTAL_MODE!r} "
        "(PORTAL_MODE must be 'embedded' or 'full')."
    )
FULL_MODE = PORTAL_MODE == "full"


def required_in_full_mode(name):
    """Stop start-up with the variable's name when full mode lacks it."""
    if FULL_MODE and not os.environ.get(name):
        raise ImproperlyConfigured(
            f"Thiếu biến môi trường {name}: bắt buộc khi PORTAL_MODE=full. "
            f"(Missing environment variable {name}, required in full mode.)"
        )


for _name in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"):
    required_in_full_mode(_name)

# Where the embedded mode keeps its database, media and generated secret.
VAR_DIR = Path(env.str("PORTAL_VAR_DIR", default=str(BASE_DIR / "var")))


def _embedded_secret_key():
    """A random key kept in VAR_DIR so sessions survive a restart of `make run`."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _embedded_secret_key()
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "health_check",
    "django_prometheus",
    "dossiers",
    "digitization",
    "integrations",
    "archive",
    "reporting",
    "counter",
    "feedback",
    "operations",
]

# The security headers come first: LeanPublicPagesMiddleware answers the status page's GETs
# without the staff middleware below it (dossiers/middleware.py).
MIDDLEWARE = [
    # Request counts and latencies for /metrics (bacyen_portal/metrics.py); its pair is last.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id for the log lines and the X-Request-ID answer (bacyen_portal/request_log.py).
    "bacyen_portal.request_log.RequestContextMiddleware",
    # Unknown hosts, control characters, oversized or too deep bodies: a Vietnamese 400.
    "core.edge.EdgeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "bacyen_portal.csp.CSPMiddleware",
    "dossiers.middleware.LeanPublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
    # A refusal (core.errors.PortalError) no view handled: the error page with its status.
    "core.pages.RefusalMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "bacyen_portal.urls"
WSGI_APPLICATION = "bacyen_portal.wsgi.application"

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
                "dossiers.context.staff_context",
                "dossiers.context.public_links",
                "dossiers.context.public_citizen",
            ],
        },
    },
    {
        # The archival package's index.html alone, a file, not a page (dossiers/jinja_env.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "dossiers.jinja_env.environment"},
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and immediate transactions let a few gunicorn threads share the embedded database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
    # A kept connection is checked before a request reuses it: a PostgreSQL restart costs a
    # reconnect, not a failed request per gunicorn thread.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Reports read a replica when one is configured (reporting/database.py); tests mirror it.
REPORTING_DATABASE_URL = env.str("REPORTING_DATABASE_URL", default="")
if REPORTING_DATABASE_URL:
    DATABASES["reporting"] = env.db_url_config(REPORTING_DATABASE_URL)
    DATABASES["reporting"]["CONN_MAX_AGE"] = DATABASES["default"].get("CONN_MAX_AGE", 0)
    DATABASES["reporting"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["reporting"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL compiles (JIT) a query it estimates costly — a monthly report over a province's
# dossiers — and compiling costs more than running it: 282 ms of a 417 ms province report at
# 500,000 dossiers (EXPLAIN ANALYZE on bench/bench_province.py's rows), 106 ms without.
for _database in DATABASES.values():
    if "postgresql" in _database["ENGINE"]:
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and security -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Before any backend that checks a password.
    "dossiers.login_backoff.UsernameLockBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Lock a username at one address out after five wrong passwords (django-axes); other clerks
# behind the same counter router keep working.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=30))
AXES_RESET_ON_SUCCESS = True
# And a username from any address (dossiers/login_backoff.py): this many failures in an hour
# lock it for LOGIN_USERNAME_LOCK_MINUTES, doubled for each further lock within a day.
LOGIN_USERNAME_FAILURE_LIMIT = env.int("LOGIN_USERNAME_FAILURE_LIMIT", default=20)
LOGIN_USERNAME_LOCK_MINUTES = env.int("LOGIN_USERNAME_LOCK_MINUTES", default=15)
AXES_LOCKOUT_CALLABLE = "dossiers.views.locked_out"
AXES_VERBOSE = False

CSRF_FAILURE_VIEW = "dossiers.views.csrf_failure"
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_HOURS", default=10) * 3600
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The reverse proxies whose X-Forwarded-For is believed (addresses or networks): a request from
# any other address is known by its own address (dossiers/services/audit.py, client_ip).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1", "::1"])
try:
    TRUSTED_PROXY_NETWORKS = tuple(ipaddress.ip_network(p, strict=False) for p in TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES có địa chỉ không hợp lệ: {exc}.") from exc

# Pages load scripts and styles from the portal itself only; no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- Language, time, formats -----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["bacyen_portal.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]


def _parse_working_hours(value):
    """'07:30-11:30,13:30-17:00' -> ((time(7,30), time(11,30)), (time(13,30), time(17,0)))."""
    periods = []
    for chunk in value.split(","):
        match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", chunk)
        if not match:
            raise ImproperlyConfigured(
                f"WORKING_HOURS không đúng dạng 'HH:MM-HH:MM,HH:MM-HH:MM': {value!r}."
            )
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        try:
            start, end = time(h1, m1), time(h2, m2)
        except ValueError as exc:
            raise ImproperlyConfigured(f"WORKING_HOURS có giờ không hợp lệ: {value!r}.") from exc
        if start >= end or (periods and start < periods[-1][1]):
            raise ImproperlyConfigured(
                f"WORKING_HOURS phải là các khoảng tăng dần, không chồng nhau: {value!r}."
            )
        periods.append((start, end))
    return tuple(periods)


WORKING_HOURS = _parse_working_hours(env.str("WORKING_HOURS", default="07:30-11:30,13:30-17:00"))

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Full mode may keep media (scans, forms, archival packages) on any S3-compatible store through
# django-storages: configuration only, every code path uses the default storage alike.
MEDIA_S3_BUCKET = env.str("MEDIA_S3_BUCKET", default="")
if MEDIA_S3_BUCKET:
    if not FULL_MODE:
        raise ImproperlyConfigured(
            "MEDIA_S3_BUCKET chỉ dùng khi PORTAL_MODE=full; chế độ nhúng lưu tệp tại MEDIA_ROOT."
        )
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env.str("MEDIA_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("MEDIA_S3_REGION", default="") or None,
            "access_key": env.str("MEDIA_S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("MEDIA_S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("MEDIA_S3_PREFIX", default=""),
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

# Behind nginx: downloads of protected files (scans, forms, packages) answer with
# X-Accel-Redirect to this internal location instead of streaming through gunicorn
# (core/files.py; deploy/nginx/cong-mot-cua.conf). Empty: Django streams them.
PROTECTED_FILES_ACCEL_PREFIX = env.str("PROTECTED_FILES_ACCEL_PREFIX", default="")

# --- Tasks -----------------------------------------------------------------------------------
# No broker: the embedded mode runs each task in-process right after its transaction commits.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=600)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "dossiers.*": {"queue": "default"},
    # Sweeping and the hot folder must not wait behind long OCR work.
    "digitization.sweep_scans": {"queue": "default"},
    "digitization.sweep_drafts": {"queue": "default"},
    "digitization.collect_hot_folders": {"queue": "default"},
    "digitization.*": {"queue": "ocr"},
    "reporting.*": {"queue": "reports"},
    "archive.*": {"queue": "default"},
    "feedback.*": {"queue": "default"},
    # Taking in dossiers submitted on DVCQG is short work beside the other default tasks.
    "integrations.pull_national_dossiers": {"queue": "default"},
    # The day's payment reconciliation: one statement, one comparison, default queue.
    "integrations.reconcile_payments": {"queue": "default"},
    # Messages to the national platforms wait on slow answers: their own queue and worker.
    "integrations.*": {"queue": "national"},
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_EXPIRES = timedelta(hours=6)
CELERY_TIMEZONE = TIME_ZONE
# Celery beat (full mode): safety nets that re-enqueue work whose task was lost.
CELERY_BEAT_SCHEDULE = {
    "sweep-notifications": {"task": "dossiers.sweep_notifications", "schedule": 60.0},
    "sweep-scans": {"task": "digitization.sweep_scans", "schedule": 60.0},
    "sweep-online-drafts": {"task": "digitization.sweep_drafts", "schedule": 3600.0},
    "collect-hot-folders": {"task": "digitization.collect_hot_folders", "schedule": 30.0},
    "archive-sweep-packages": {"task": "archive.sweep_packages", "schedule": 300.0},
    # Dossiers submitted on the national portal (DVCQG); nothing is done without its URL.
    "integrations-pull-national-dossiers": {
        "task": "integrations.pull_national_dossiers",
        "schedule": 60.0,
    },
    "archive-returned-nightly": {
        "task": "archive.archive_returned",
        "schedule": crontab(hour=1, minute=30),
    },
    "national-sync-sweep": {"task": "integrations.sweep_national", "schedule": 30.0},
    # Yesterday's payments against the payment platform's statement (integrations/).
    "integrations-reconcile-payments": {
        "task": "integrations.reconcile_payments",
        "schedule": crontab(hour=2, minute=15),
    },
    # Shipment orders to the postal service whose task was lost, and tracking pulled.
    "post-sweep-shipments": {"task": "integrations.sweep_shipments", "schedule": 30.0},
    "post-pull-tracking": {"task": "integrations.pull_tracking", "schedule": 600.0},
    "catalogue-apply-revisions": {
        "task": "dossiers.apply_procedure_revisions",
        "schedule": crontab(hour=0, minute=5),
    },
    # PAKN past their deadline: marked and their units' leaders told (feedback/).
    "feedback-escalate-overdue": {
        "task": "feedback.escalate_overdue",
        "schedule": 60.0 * env.int("PAKN_ESCALATE_EVERY_MINUTES", default=15),
    },
    "archive-check-fixity": {
        "task": "archive.check_fixity",
        "schedule": 60.0 * env.int("ARCHIVE_FIXITY_EVERY_MINUTES", default=60),
    },
}

# --- Scans and OCR (digitization) ---------------------------------------------------------------
SCAN_MAX_BYTES = env.int("SCAN_MAX_BYTES", default=30 * 1024 * 1024)
SCAN_MAX_PIXELS = env.int("SCAN_MAX_PIXELS", default=60_000_000)
SCAN_MAX_PAGES = env.int("SCAN_MAX_PAGES", default=200)
# A worker holds a file this long per page before another may take it over.
OCR_LEASE_SECONDS = env.int("OCR_LEASE_SECONDS", default=180)
OCR_MAX_ATTEMPTS = env.int("OCR_MAX_ATTEMPTS", default=3)
OCR_RETRY_SECONDS = env.int("OCR_RETRY_SECONDS", default=30)
# The sweeper leaves a new file this long to its own task before enqueuing it again.
OCR_SWEEP_AFTER_SECONDS = env.int("OCR_SWEEP_AFTER_SECONDS", default=120)
# One sub-folder per counter unit (named by its code) for the scanner's hot folder.
SCAN_INBOX_DIR = Path(env.str("SCAN_INBOX_DIR", default=str(VAR_DIR / "scan-inbox")))

# --- Archive ---------------------------------------------------------------------------------
# Every sealed package is re-hashed once per cycle, a slice each run of the periodic check.
ARCHIVE_FIXITY_CYCLE_DAYS = env.int("ARCHIVE_FIXITY_CYCLE_DAYS", default=30)
ARCHIVE_FIXITY_EVERY_MINUTES = env.int("ARCHIVE_FIXITY_EVERY_MINUTES", default=60)
ARCHIVE_SWEEP_BATCH = 500

# --- Cache (rate limits of the public site) --------------------------------------------------
# Shared in full mode (Redis); the embedded mode runs one gunicorn process, so memory is shared.
_default_cache = (
    CELERY_BROKER_URL.rsplit("/", 1)[0] + "/2" if CELERY_BROKER_URL.startswith("redis") else ""
)
CACHE_URL = env.str("CACHE_URL", default=_default_cache)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # Every limit counts here; it keeps counting in memory while Redis is unreachable.
    # Short socket timeouts: a Redis that stops answering costs a second, then the fallback.
    "limits": {
        "BACKEND": "core.cache.LimitsCache",
        "LOCATION": CACHE_URL,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "limits"},
}
RATELIMIT_USE_CACHE = "limits"
# The live dashboards follow their figures through a server-sent event stream (reporting/
# live_stream.py), cheaper than polling where gunicorn's gevent worker serves it (the
# production units and nginx route it there, README); off by default because a stream holds
# a sync worker's slot for as long as its page is open: then the pages poll every 3 s.
LIVE_STREAM = env.bool("LIVE_STREAM", default=False)
PUBLIC_LOOKUPS_PER_MINUTE = env.int("PUBLIC_LOOKUPS_PER_MINUTE", default=20)
PUBLIC_SUBMISSIONS_PER_HOUR = env.int("PUBLIC_SUBMISSIONS_PER_HOUR", default=10)
# PAKN sent from the public page, a kiosk or the API, per client address and hour (feedback/).
PAKN_SUBMISSIONS_PER_HOUR = env.int("PAKN_SUBMISSIONS_PER_HOUR", default=5)
# Wrong second factors for one dossier code, from any address, before its public look-up is
# locked for PUBLIC_LOCK_MINUTES; the phone's last digits close after PUBLIC_PHONE_FAILURES
# wrong tries a day (dossiers/public_guard.py).
PUBLIC_FACTOR_FAILURES = env.int("PUBLIC_FACTOR_FAILURES", default=5)
PUBLIC_LOCK_MINUTES = env.int("PUBLIC_LOCK_MINUTES", default=30)
PUBLIC_PHONE_FAILURES = env.int("PUBLIC_PHONE_FAILURES", default=3)

# --- Public site -----------------------------------------------------------------------------
# The address citizens reach the portal at: printed as the QR code on the receipt (Mẫu 01).
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Notifications to applicants ---------------------------------------------------------------
# E-mail goes through Django's mail backend. The embedded default writes each message as a file
# under $PORTAL_VAR_DIR/mail (never fails offline); production sets the SMTP backend.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Cổng Một cửa Bắc Yên <motcua@localhost>"
)
# Channels the portal notifies through (each only when the applicant gave that contact):
# email, sms, zalo. SMS and Zalo are written to the outbox (admin) until a gateway adapter exists.
NOTIFY_CHANNELS = env.list("NOTIFY_CHANNELS", default=["email", "sms"])
if set(NOTIFY_CHANNELS) - {"email", "sms", "zalo"}:
    raise ImproperlyConfigured(f"NOTIFY_CHANNELS chỉ gồm email, sms, zalo: {NOTIFY_CHANNELS!r}.")

# --- OCR, signing ----------------------------------------------------------------------------
OCR_LANGUAGES = env.str("OCR_LANGUAGES", default="vie")
SIGNING_CERT_P12 = env.str("SIGNING_CERT_P12", default=str(VAR_DIR / "certs" / "unit.p12"))
# Protects the PKCS#12 files next to SIGNING_CERT_P12; the default only suits the demo PKI.
SIGNING_CERT_PASSWORD = env.str("SIGNING_CERT_PASSWORD", default="BacYen-demo-2026")

# --- API -------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "bacyen_portal.api_errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/minute"),
        "user": env.str("API_USER_RATE", default="1200/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Một cửa Bắc Yên — API v1",
    "DESCRIPTION": "API của Cổng Một cửa: đơn vị, lĩnh vực, thủ tục hành chính và hồ sơ.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # No deep links: Swagger UI puts each as a link inside the operation's button (a focusable
    # inside a focusable, which screen readers cannot reach — axe's nested-interactive).
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "DossierStateEnum": "dossiers.workflow.State",
        "DossierChannelEnum": "dossiers.models.dossier.Channel",
        "ArchiveRecordStateEnum": "archive.models.ArchiveRecord.State",
        "DisposalBatchStateEnum": "archive.models.DisposalBatch.State",
    },
}

# --- National platforms (integrations/) -----------------------------------------------------
# Cổng Dịch vụ công quốc gia: the integration endpoint (its LayToken service beside it), the
# province's account, and its unit code (madonvi). Empty URL: nothing is sent, the outbox
# waits (a dossier's page says "chưa đồng bộ"). `make run` points it at the local counterpart.
DVCQG_BASE_URL = env.str("DVCQG_BASE_URL", default="")
DVCQG_USERNAME = env.str("DVCQG_USERNAME", default="sonla")
DVCQG_PASSWORD = env.str("DVCQG_PASSWORD", default="sonla-local")
DVCQG_UNIT_CODE = env.str("DVCQG_UNIT_CODE", default="000.00.00.H52")
# Mutual TLS when the platform asks for it: the client certificate and key (PEM files).
DVCQG_CLIENT_CERT = env.str("DVCQG_CLIENT_CERT", default="")
DVCQG_CLIENT_KEY = env.str("DVCQG_CLIENT_KEY", default="")
DVCQG_CA_BUNDLE = env.str("DVCQG_CA_BUNDLE", default="")
DVCQG_TIMEOUT_SECONDS = env.float("DVCQG_TIMEOUT_SECONDS", default=10.0)
# After this many failures in a row the circuit opens: no request for DVCQG_BREAKER_RESET_SECONDS.
DVCQG_BREAKER_FAILURES = env.int("DVCQG_BREAKER_FAILURES", default=5)
DVCQG_BREAKER_RESET_SECONDS = env.float("DVCQG_BREAKER_RESET_SECONDS", default=30.0)
# The longest wait between two attempts at a message the platform did not take (seconds).
NATIONAL_SYNC_BACKOFF_CAP_SECONDS = env.int("NATIONAL_SYNC_BACKOFF_CAP_SECONDS", default=600)
# A worker sending a dossier's messages holds it this long (renewed per message); a killed
# worker's dossier goes to another once it runs out.
NATIONAL_SYNC_LEASE_SECONDS = env.int("NATIONAL_SYNC_LEASE_SECONDS", default=90)
# The shared secret the platform signs its pushes with (HMAC-SHA256), and how old a push may be.
DVCQG_PUSH_SECRET = env.str("DVCQG_PUSH_SECRET", default="")
DVCQG_PUSH_MAX_AGE_SECONDS = env.int("DVCQG_PUSH_MAX_AGE_SECONDS", default=300)
# VNeID (OpenID Connect): the issuer (its /.well-known/openid-configuration beside it) and
# the portal's client. Empty issuer: the public site offers no VNeID login.
VNEID_ISSUER = env.str("VNEID_ISSUER", default="")
VNEID_CLIENT_ID = env.str("VNEID_CLIENT_ID", default="cong-mot-cua-son-la")
VNEID_CLIENT_SECRET = env.str("VNEID_CLIENT_SECRET", default="cong-mot-cua-local")
# The callback address registered with VNeID (empty: this site's /vneid/callback/ as the
# request names it), and how long the portal waits for VNeID's answers.
VNEID_REDIRECT_URI = env.str("VNEID_REDIRECT_URI", default="")
VNEID_TIMEOUT_SECONDS = env.float("VNEID_TIMEOUT_SECONDS", default=10.0)
# CSDLQG về dân cư (through the data-sharing platform NDXP/LGSP): the look-up endpoint, the
# access token or mutual TLS, the integration and unit codes the platform gave the province.
# Empty URL: not connected, the clerk is told so and checks the papers by hand.
POPULATION_BASE_URL = env.str("POPULATION_BASE_URL", default="")
POPULATION_TOKEN = env.str("POPULATION_TOKEN", default="dan-cu-local")
POPULATION_CLIENT_CERT = env.str("POPULATION_CLIENT_CERT", default="")
POPULATION_CLIENT_KEY = env.str("POPULATION_CLIENT_KEY", default="")
POPULATION_CA_BUNDLE = env.str("POPULATION_CA_BUNDLE", default="")
POPULATION_INTEGRATION_CODE = env.str("POPULATION_INTEGRATION_CODE", default="000000000001")
POPULATION_UNIT_CODE = env.str("POPULATION_UNIT_CODE", default="000.00.00.H52")
POPULATION_TIMEOUT_SECONDS = env.float("POPULATION_TIMEOUT_SECONDS", default=8.0)
POPULATION_BREAKER_FAILURES = env.int("POPULATION_BREAKER_FAILURES", default=5)
POPULATION_BREAKER_RESET_SECONDS = env.float("POPULATION_BREAKER_RESET_SECONDS", default=30.0)
# Look-ups one staff account may make per hour (the provincial police watch their use).
POPULATION_LOOKUPS_PER_HOUR = env.int("POPULATION_LOOKUPS_PER_HOUR", default=30)

# --- Operations: health, metrics, logs, error reports --------------------------------------
# Who may read /readyz and /metrics: these networks (the monitoring host; behind the proxy, the
# forwarded address as TRUSTED_PROXIES allows) or the bearer of OPS_TOKEN when one is set.
OPS_TOKEN = env.str("OPS_TOKEN", default="")
try:
    OPS_ALLOWED_NETWORKS = tuple(
        ipaddress.ip_network(n, strict=False)
        for n in env.list("OPS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
    )
except ValueError as exc:
    raise ImproperlyConfigured(f"OPS_ALLOWED_NETWORKS có địa chỉ không hợp lệ: {exc}.") from exc
# /readyz: free space below this on the disk of PORTAL_VAR_DIR is "not ready".
READY_MIN_FREE_DISK_MB = env.int("READY_MIN_FREE_DISK_MB", default=1024)
# /readyz: the reporting replica may lag this far behind the primary.
REPLICA_MAX_LAG_SECONDS = env.int("REPLICA_MAX_LAG_SECONDS", default=300)
# /readyz (full mode): each of these queues needs a worker whose heartbeat is this recent.
READY_QUEUES = env.list("READY_QUEUES", default=["default", "ocr", "reports", "national"])
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=10)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=60)
# The national payment platform (Nền tảng thanh toán trên Cổng DVCQG): its API address (empty:
# no online payment is offered, the counter still records cash/POS payments), the portal's
# partner code and shared secret (the checksum MaXacThuc of every message), the message version,
# the beneficiary account and treasury the receipts name, and the call time-out.
PAYMENT_BASE_URL = env.str("PAYMENT_BASE_URL", default="")
PAYMENT_PARTNER_CODE = env.str("PAYMENT_PARTNER_CODE", default="SONLA-MOTCUA")
PAYMENT_SECRET = env.str("PAYMENT_SECRET", default="")
PAYMENT_VERSION = env.str("PAYMENT_VERSION", default="1.0.6")
PAYMENT_BENEFICIARY_ACCOUNT = env.str("PAYMENT_BENEFICIARY_ACCOUNT", default="3511.0.1056789")
PAYMENT_BENEFICIARY_NAME = env.str("PAYMENT_BENEFICIARY_NAME", default="KBNN tỉnh Sơn La")
PAYMENT_BENEFICIARY_BANK = env.str("PAYMENT_BENEFICIARY_BANK", default="KBNN")
PAYMENT_TREASURY = env.str("PAYMENT_TREASURY", default="Kho bạc Nhà nước Sơn La")
PAYMENT_TIMEOUT_SECONDS = env.float("PAYMENT_TIMEOUT_SECONDS", default=10.0)
PAYMENT_BREAKER_FAILURES = env.int("PAYMENT_BREAKER_FAILURES", default=5)
PAYMENT_BREAKER_RESET_SECONDS = env.float("PAYMENT_BREAKER_RESET_SECONDS", default=30.0)
# This site's address as the platform reaches it (return page and callback); empty: the
# address the citizen's request names.
PAYMENT_PUBLIC_URL = env.str("PAYMENT_PUBLIC_URL", default="")
# Dossiers received on or after this day (YYYY-MM-DD) must have their fee paid before the
# result is returned; empty: the guard is off (fees collected the old way, outside the portal).
PAYMENT_REQUIRED_FROM = env.str("PAYMENT_REQUIRED_FROM", default="")

# Backups (operations/): pgBackRest's configuration and stanza, the account it runs as when
# this process is root, where media snapshots go, and the age past which backup_status alerts.
PGBACKREST_BIN = env.str("PGBACKREST_BIN", default="pgbackrest")
PGBACKREST_CONFIG = env.str("PGBACKREST_CONFIG", default="/etc/pgbackrest/pgbackrest.conf")
PGBACKREST_STANZA = env.str("PGBACKREST_STANZA", default="cong-mot-cua")
PGBACKREST_RUN_AS = env.str("PGBACKREST_RUN_AS", default="postgres")
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backup")))
BACKUP_MAX_AGE_HOURS = env.int("BACKUP_MAX_AGE_HOURS", default=26)
# The public postal service (bưu chính công ích, QĐ 45/2016/QĐ-TTg): its order API (empty: the
# shipment orders wait in their outbox), the portal's account token, time-outs, the circuit.
POST_BASE_URL = env.str("POST_BASE_URL", default="")
POST_TOKEN = env.str("POST_TOKEN", default="cong-mot-cua-local")
POST_TIMEOUT_SECONDS = env.float("POST_TIMEOUT_SECONDS", default=10.0)
POST_BREAKER_FAILURES = env.int("POST_BREAKER_FAILURES", default=5)
POST_BREAKER_RESET_SECONDS = env.float("POST_BREAKER_RESET_SECONDS", default=30.0)
POST_BACKOFF_CAP_SECONDS = env.int("POST_BACKOFF_CAP_SECONDS", default=600)
# The secret the postal service signs its tracking updates with (HMAC-SHA256; empty: pushed
# updates refused, tracking is pulled), and how old a signed update may be.
POST_CALLBACK_SECRET = env.str("POST_CALLBACK_SECRET", default="")
POST_CALLBACK_MAX_AGE_SECONDS = env.int("POST_CALLBACK_MAX_AGE_SECONDS", default=300)

# --- Logging ---------------------------------------------------------------------------------
# One JSON object per line (request id, user, unit) in full mode; numbers that look like an
# identity or phone number are masked in every line (bacyen_portal/request_log.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="json" if PORTAL_MODE == "full" else "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "bacyen_portal.request_log.RequestContextFilter"}},
    "formatters": {
        "text": {"()": "bacyen_portal.request_log.MaskedFormatter", "format": "%(message)s"},
        "json": {
            "()": "bacyen_portal.request_log.MaskedJsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user)s "
            "%(unit)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "bagit": {"level": "WARNING"},
        # One line per request to the national platforms is the access log's job, not ours.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

# Error reports to a Sentry-compatible service (Sentry, GlitchTip); none when empty.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from bacyen_portal.error_reports import start as _start_error_reports

    _start_error_reports(SENTRY_DSN, environment=env.str("SENTRY_ENVIRONMENT", default=PORTAL_MODE))
