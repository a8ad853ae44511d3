"""Shoal's one settings module, configured by environment variables (docs/operator.md)."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHOAL_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    # The key is generated once into var/ so sessions survive restarts without configuration.
    if os.environ.get("SHOAL_SECRET_KEY"):
        return os.environ["SHOAL_SECRET_KEY"]
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("SHOAL_DEBUG", False)
ALLOWED_HOSTS = env_list("SHOAL_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("SHOAL_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "huey.contrib.djhuey",
    "shoal.core",
    "shoal.org",
    "shoal.system",
    "shoal.customers",
    "shoal.notifications",
    "shoal.opportunities",
    "shoal.contracts",
    "shoal.calls",
    "shoal.teamwork",
    "shoal.products",
    "shoal.orders",
    "shoal.activities",
    "shoal.jobs",
    "shoal.attachments",
    "shoal.gates",
    "shoal.backups",
    "shoal.pools",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "shoal.gates.security.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "shoal.urls"
WSGI_APPLICATION = "shoal.wsgi.application"

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
            ],
        },
    },
]

# SQLite (embedded default) runs in WAL mode with IMMEDIATE transactions so that writers queue
# on the database lock instead of failing halfway (ARCHITECTURE.md, Data).
SQLITE_PATH = VAR_DIR / "shoal.sqlite3"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}", conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests use a file database like production does (not shared-cache memory), so concurrent
    # writers in race tests wait on the lock instead of failing at once.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "org.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "shoal.org.backends.UsernameOrMobileBackend",
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

# ORG-3: lock out a username after repeated failed sign-ins.
AXES_FAILURE_LIMIT = int(os.environ.get("SHOAL_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SHOAL_LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "shoal.org.api.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

LANGUAGE_CODE = os.environ.get("SHOAL_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "shoal" / "locale"]
TIME_ZONE = os.environ.get("SHOAL_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WEB_DIST = BASE_DIR / "web" / "dist"
STATICFILES_DIRS = [WEB_DIST] if WEB_DIST.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("SHOAL_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"

SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if env_bool("SHOAL_HTTPS", False):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SHOAL_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SHOAL_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SHOAL_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (issue 9): on by default over HTTPS, SHOAL_CSP=1/0 forces it on/off.
# The web app (Vite build) loads only same-origin scripts; Element Plus sets inline style attributes.
SHOAL_CSP = (
    os.environ.get(
        "SHOAL_CSP_POLICY",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
        "frame-ancestors 'none'",
    )
    if env_bool("SHOAL_CSP", env_bool("SHOAL_HTTPS", False))
    else ""
)

# Uploads (issue 9): one limit for every upload endpoint (shoal.gates.uploads.check_upload); request
# bodies other than files stay small; files past 2.5 MB stream to a temporary file, not memory.
SHOAL_MAX_UPLOAD_MB = int(os.environ.get("SHOAL_MAX_UPLOAD_MB", "20"))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("SHOAL_MAX_BODY_MB", "10")) * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_PERMISSIONS = 0o640

# SYS-3: backup archives (database + media + manifest), `make backup` / `make restore FILE=…`.
SHOAL_BACKUP_DIR = Path(os.environ.get("SHOAL_BACKUP_DIR", VAR_DIR / "backups"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "shoal.org.authentication.ApiTokenAuthentication",
        "shoal.org.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["shoal.core.permissions.IsSignedIn"],
    "DEFAULT_PAGINATION_CLASS": "shoal.core.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "shoal.core.errors.exception_handler",
    # API tokens: requests per user across all their tokens (issue 9); the web app's session is not limited.
    "DEFAULT_THROTTLE_CLASSES": ["shoal.gates.security.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "login": os.environ.get("SHOAL_LOGIN_RATE", "30/min"),
        "token": os.environ.get("SHOAL_TOKEN_RATE", "600/min"),
    },
    "PAGE_SIZE": 20,
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Shoal API",
    "DESCRIPTION": 'Shoal 销售管理 REST API. Errors: {"error": {"code", "message", "fields"}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ContractStatusEnum": "shoal.contracts.models.ContractStatus",
        "PlanStatusEnum": "shoal.contracts.models.PlanStatus",
        "CollectionTaskStatusEnum": "shoal.contracts.models.TaskStatus",
        "ConflictStatusEnum": "shoal.opportunities.models.ConflictStatus",
        "OpportunityStatusEnum": "shoal.opportunities.models.StageKind",
        "DictionaryKindEnum": "shoal.system.models.DictionaryKind",
        "TalkScriptKindEnum": "shoal.calls.models.ScriptKind",
        "LeaseStatusEnum": "shoal.calls.models.LeaseStatus",
        "InvalidPhoneStatusEnum": "shoal.calls.models.InvalidStatus",
        "HelpRequestStatusEnum": "shoal.teamwork.models.HelpStatus",
        "QuoteStatusEnum": "shoal.orders.models.QuoteStatus",
        "OrderStatusEnum": "shoal.orders.models.OrderStatus",
        "ContactPlanStatusEnum": "shoal.activities.models.PlanStatus",
        "ScheduleCommentKindEnum": "shoal.activities.models.CommentKind",
        "IntentLevelEnum": "shoal.customers.models.IntentLevel",
        "JobStatusEnum": "shoal.jobs.models.JobStatus",
        "BackupStatusEnum": ["running", "done", "failed", "damaged"],
    },
}

# Background work: Redis when REDIS_URL is given (scale-out), else a SQLite file in var/.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    HUEY = {"huey_class": "huey.RedisHuey", "name": "shoal", "url": REDIS_URL, "immediate": False}
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "shoal",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }
if env_bool("SHOAL_HUEY_IMMEDIATE", False):
    HUEY["immediate"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SHOAL_LOG_LEVEL", "WARNING")},
}

SHOAL_DEMO = env_bool("SHOAL_DEMO", True)

# Lock-out is per username (an attacker rotating addresses still hits the same account's limit);
# sign-in attempts per address are throttled separately by DRF ("login" rate above).
SILENCED_SYSTEM_CHECKS = [
    "axes.W006",
    "models.W040",  # SQLite ignores the covering columns of the activities indexes; PostgreSQL uses them
]

# Uploads (CUS-13 imports, CUS-14 attachments; docs/operator.md). Files live under MEDIA_ROOT with
# server-made names and are only ever served through the API after a visibility check.
SHOAL_UPLOAD_MAX_BYTES = int(os.environ.get("SHOAL_UPLOAD_MAX_MB", "20")) * 1024 * 1024
SHOAL_IMPORT_MAX_BYTES = int(os.environ.get("SHOAL_IMPORT_MAX_MB", "50")) * 1024 * 1024
SHOAL_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("SHOAL_IMPORT_MAX_UNPACKED_MB", "500")) * 1024 * 1024
SHOAL_IMPORT_MAX_ROWS = int(os.environ.get("SHOAL_IMPORT_MAX_ROWS", "200000"))
SHOAL_EXPORT_SYNC_LIMIT = int(os.environ.get("SHOAL_EXPORT_SYNC_LIMIT", "2000"))  # above: a background job
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "JobStatusEnum": "shoal.jobs.models.JobStatus.choices",
        "ImportRowStatusEnum": "shoal.customers.transfer_api.IMPORT_ROW_STATUSES",
    }
)
