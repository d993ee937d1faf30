"""Parchemin settings: one env-driven module that fails fast on bad values.

With no environment at all it runs on the embedded default (SQLite, Celery tasks executed
in process, files under ``var/``). ``DATABASE_URL`` switches to PostgreSQL and ``REDIS_URL``
to a real broker. Every variable is documented in ``.env.example``.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VERSION = "0.1.0"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), not {raw!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, not {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be >= {minimum}, not {value}")
    return value


def env_rate(name: str, default: str) -> str:
    """A DRF throttle rate such as ``300/minute`` (number / second, minute, hour or day)."""
    value = env_str(name, default)
    number, _sep, period = value.partition("/")
    if not (number.isdigit() and period[:1] in {"s", "m", "h", "d"}):
        raise ImproperlyConfigured(f"{name} must look like 300/minute, not {value!r}")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def secret_key(debug: bool) -> str:
    """Required in production, and strong there: Django's own rule (``check --deploy``,
    security.W009: at least 50 characters, 5 distinct ones, no ``django-insecure-`` prefix)
    only warns; a weak key signs sessions, password-reset links and 2FA set-ups, so here
    production refuses to start with one (issue 14, finding 11)."""
    key = env_str("SECRET_KEY")
    if not key:
        if not debug:
            raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
        return "insecure-development-key-only-for-the-embedded-default"
    if not debug:
        weak = ""
        if len(key) < 50:
            weak = f"it has {len(key)} characters, at least 50 are needed"
        elif len(set(key)) < 5:
            weak = f"it has only {len(set(key))} distinct characters, at least 5 are needed"
        elif key.startswith("django-insecure-"):
            weak = "it starts with 'django-insecure-' (a development key)"
        if weak:
            raise ImproperlyConfigured(
                f"SECRET_KEY is too weak for production (DEBUG is off): {weak}. Generate one "
                "with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
            )
    return key


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = secret_key(DEBUG)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")


def site_url(debug: bool) -> str:
    """The public base URL printed on the certificates (verification URL and QR code) and in
    e-mails. Required in production; on the embedded default it is the address ``make run``
    serves (``HOST``/``PORT``, which the Makefile passes), so ``make run PORT=8101`` prints,
    encodes and mails http://127.0.0.1:8101."""
    raw = env_str("SITE_URL")
    if not raw:
        if not debug:
            raise ImproperlyConfigured(
                "SITE_URL must be set when DEBUG is off: the public address of the site "
                "(e.g. https://parchemin.example.org), printed on the certificates' QR codes "
                "and in e-mails"
            )
        raw = f"http://{env_str('HOST', '127.0.0.1')}:{env_int('PORT', 8000, minimum=1)}"
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            f"SITE_URL must be an absolute http(s) address such as "
            f"https://parchemin.example.org, not {raw!r}"
        )
    return raw.rstrip("/")


SITE_URL = site_url(DEBUG)

VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
for _sub in ("", "media", "staticfiles"):
    (VAR_DIR / _sub).mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "parchemin.admin_apps.ParcheminAdminConfig",  # django.contrib.admin, audited (admin_site)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # Django's form templates, for the TemplatesSetting-based FORM_RENDERER
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "centres",
    "accounts",
    "cqpm",
    "candidates",
    "evaluations",
    "juries",
    "documents",
    "accrochage",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.body_limit.RequestBodyLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.locale.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Integer path parameters within a 64-bit integer, else a 400 (core.api.filtering).
    "core.api.filtering.IntegerPathMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "accounts.middleware.ApiTokenMiddleware",
    "centres.middleware.ActiveCentreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parchemin.urls"
WSGI_APPLICATION = "parchemin.wsgi.application"
ASGI_APPLICATION = "parchemin.asgi.application"

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
                "core.context_processors.active_centre",
            ],
        },
    },
]

# The project's templates first (templates/django/forms/label.html marks required fields),
# select and input widgets rendered in Python (same HTML): see core/forms_renderer.py.
FORM_RENDERER = "core.forms_renderer.FastWidgetRenderer"

# Database: SQLite under var/ by default, PostgreSQL (or anything dj-database-url knows)
# with DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from exc
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
else:
    # The embedded default takes a tablet's burst of saves (a queue sent when the network
    # comes back, a few requests at a time, on runserver's threads): WAL lets readers go on
    # beside the one writer; IMMEDIATE transactions take the write lock when they begin, so a
    # writer waits its turn (up to ``timeout`` seconds) instead of failing with "database is
    # locked" when a read-then-write transaction cannot upgrade its lock.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "parchemin.sqlite3",
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
            },
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "centres.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Argon2id first: new passwords and every login re-hash with it; older hashes still verify.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALIDITY_DAYS = env_int("INVITATION_VALIDITY_DAYS", 7, minimum=1)
# A jury session opens on its scheduled day, at the earliest this many minutes before its
# start time (juries.services.sessions).
JURY_OPEN_WINDOW_MINUTES = env_int("JURY_OPEN_WINDOW_MINUTES", 60)
# API tokens (accounts.tokens): refused after this many days without use, and this many days
# after their creation whatever the use.
API_TOKEN_IDLE_DAYS = env_int("API_TOKEN_IDLE_DAYS", 30, minimum=1)
API_TOKEN_MAX_AGE_DAYS = env_int("API_TOKEN_MAX_AGE_DAYS", 365, minimum=1)

# Two-factor authentication (accounts.twofactor): centre administrators, staff and jurors
# confirm every login with a TOTP code or a recovery code. Always on in production; off by
# default in the demo (DEBUG on) so the shared demo password is enough.
TWO_FACTOR_ENFORCED = env_bool("TWO_FACTOR_ENFORCED", not DEBUG)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Parchemin")
# An authenticator secret being set up belongs to one login session and is refused this
# many minutes after it was shown.
TWO_FACTOR_SETUP_MINUTES = env_int("TWO_FACTOR_SETUP_MINUTES", 10, minimum=1)

# django-guardian: no anonymous user row, object permissions only for real users.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-axes: throttle and lock out after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

# Internationalisation: French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Times written one way ("09h00" in French, "09:00" in English), English dates day first.
FORMAT_MODULE_PATH = ["core.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

# Static and uploaded files: served by the app (whitenoise), never by a CDN.
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
# Uploaded files are never given a public URL: downloads go through permission-checked views.
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024
# Every request body but a multipart upload is capped at this (core.body_limit answers 413
# from the Content-Length); an upload may add one file of UPLOAD_MAX_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("REQUEST_BODY_MAX_KB", 2048, minimum=64) * 1024
# An uploaded image may not declare more pixels than this (decoding a "pixel bomb" of a few
# bytes declaring 100,000 × 100,000 pixels would take gigabytes): 60 million by default.
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_MEGAPIXELS", 60, minimum=1) * 1_000_000
# Bulk candidate import (candidates/import_parsing.py): a workbook may not declare more than
# this once decompressed (checked on the ZIP directory before reading), nor hold more rows.
IMPORT_MAX_UNCOMPRESSED_BYTES = env_int("IMPORT_MAX_UNCOMPRESSED_MB", 50, minimum=1) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000, minimum=1)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 100, minimum=13)

# Cache and broker.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, not {REDIS_URL!r}")
if REDIS_URL:
    CACHES = {
        "default": {
            # A Redis outage is a cache miss, never a 500 (core.cache).
            "BACKEND": "core.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "parchemin",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 200, minimum=1)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_TASK_ROUTES = {"documents.tasks.*": {"queue": "pdf"}}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE

# Mail: console by default, SMTP by settings.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Parchemin <noreply@parchemin.invalid>")

# REST API.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's token authentication, without reading again the token the centre
        # middleware has just resolved (accounts.authentication).
        "accounts.authentication.MiddlewareTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.pagination.CappedCountPagination",
    "PAGE_SIZE": 50,
    # django-filter's, skipping the filter set when the request names no filter.
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filtering.FilterBackend",
        "core.api.filtering.OrderingBackend",
    ],
    # Bodies are JSON; the upload endpoints alone add multipart (their parser_classes), so
    # the schema declares one body per operation and generated clients send it as such.
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",  # APIClient in the tests: JSON, as clients send
    # + the X-Centre header, and every status an operation answers (core.api.schema)
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.CentreAutoSchema",
    # Rates are read on every request (core.api.throttling): env-driven, high enough that a test
    # suite never meets them, low enough to stop a runaway client or a scraper.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttling.AnonThrottle",
        "core.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": "20/minute",
        "verification": "30/minute",
        "anon": env_rate("API_ANON_RATE", "300/minute"),
        "user": env_rate("API_USER_RATE", "2000/minute"),
    },
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
}
# /api/v1/schema/ and /api/v1/docs/ (core.api.docs): public on the embedded default, for
# authenticated users only in production unless API_SCHEMA_PUBLIC=true (issue 14, finding 11).
API_SCHEMA_PUBLIC = env_bool("API_SCHEMA_PUBLIC", DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Parchemin API",
    "DESCRIPTION": "API des centres de certification UIMM (CQPM).",
    "VERSION": VERSION,
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    # enums keep their blank/null choice; tags and operation ids ASCII (core.api.schema)
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.ascii_names",
    ],
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "candidates.models.choices.DossierStatus",
        "AccessStatusEnum": "candidates.models.choices.AccessStatus",
        "DossierDocumentKindEnum": "candidates.models.choices.DocumentKind",
        "ReferentialVersionStatusEnum": "cqpm.models.ReferentialVersion.Status",
        "CriterionCategoryEnum": "cqpm.models.Criterion.Category",
        "JurySessionStatusEnum": "juries.models.choices.SessionStatus",
        "JuryVoteValueEnum": "juries.models.choices.VoteValue",
        "SexEnum": "candidates.models.choices.Sex",
        "GridStatusEnum": "evaluations.models.choices.GridStatus",
        "OpinionValueEnum": "evaluations.models.choices.OpinionValue",
        "LateInvitationReasonEnum": "juries.models.choices.LateInvitationReason",
    },
}

# Security: secure by default in production mode (DEBUG off).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 10, minimum=60)
# Sessions end when the browser closes (shared tablets and office PCs) and, server-side,
# SESSION_COOKIE_AGE after the login whatever the browser does.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp): every script and style comes from the app's own
# static files; no inline script, no inline style attribute, no framing, no plugin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

# Documents (documents app): the periodic sweep re-enqueues PDF jobs left pending (broker
# outage, lost worker); the public certificate verification page is rate-limited per IP.
CELERY_BEAT_SCHEDULE = {
    "documents-sweep-pending": {
        "task": "documents.tasks.sweep_pending_documents",
        "schedule": env_int("DOCUMENTS_SWEEP_EVERY_SECONDS", 300, minimum=10),
    },
    # Juries (issue 17): the follow-up questionnaires due to holders (6 months, 2 years).
    "juries-send-insertion-surveys": {
        "task": "juries.tasks.send_insertion_surveys",
        "schedule": env_int("INSERTION_SURVEYS_EVERY_SECONDS", 3600, minimum=60),
    },
}
# The follow-up of holders (juries.services.insertion): a wave is sent from its date (6
# months, 2 years after the jury) for INSERTION_SURVEY_SEND_WINDOW_DAYS (a holder whose
# wave is older is not asked any more: the answer would describe another moment); the
# link of a questionnaire works for INSERTION_SURVEY_VALID_DAYS after it was sent. Without a
# beat process (the embedded set-up), run `manage.py send_insertion_surveys` from cron.
INSERTION_SURVEY_SEND_WINDOW_DAYS = env_int("INSERTION_SURVEY_SEND_WINDOW_DAYS", 90, minimum=1)
INSERTION_SURVEY_VALID_DAYS = env_int("INSERTION_SURVEY_VALID_DAYS", 60, minimum=1)
# Specimen documents (not production): the PV, parchemins, attestations and letters carry a
# "SPÉCIMEN" watermark and may be issued while a mandatory mention of the CQPM (code, RNCP
# number, France Compétences decision, levels) is missing. Off (production, the default with
# DEBUG off): those documents are issued only once every mandatory mention is filled in.
DOCUMENTS_SPECIMEN = env_bool("DOCUMENTS_SPECIMEN", DEBUG)
# Signing a PV re-asks the password (and the TOTP code): this many wrong attempts in this
# many minutes refuse further attempts until the window passes.
REAUTH_FAILURE_LIMIT = env_int("REAUTH_FAILURE_LIMIT", 5, minimum=1)
REAUTH_WINDOW_MINUTES = env_int("REAUTH_WINDOW_MINUTES", 15, minimum=1)
VERIFICATION_RATE = env_str("VERIFICATION_RATE", "30/min")
VERIFICATION_CLIENT_IP_HEADER = env_str("VERIFICATION_CLIENT_IP_HEADER")
# Largest PDF the verification page accepts for its "is this the issued document?" check
# (hashed in memory, never stored).
VERIFICATION_UPLOAD_MAX_BYTES = env_int("VERIFICATION_UPLOAD_MAX_MB", 20, minimum=1) * 1024 * 1024

# The centre's PAdES seal on issued PDFs (documents.signing). Without a key and certificate a
# self-signed pair is generated under VAR_DIR/signing/ (demo and tests).
DOCUMENT_SIGNING_KEY = env_str("DOCUMENT_SIGNING_KEY")
DOCUMENT_SIGNING_CERT = env_str("DOCUMENT_SIGNING_CERT")
DOCUMENT_SIGNING_CHAIN = env_list("DOCUMENT_SIGNING_CHAIN")
DOCUMENT_SIGNING_PASSPHRASE = env_str("DOCUMENT_SIGNING_PASSPHRASE")
if bool(DOCUMENT_SIGNING_KEY) != bool(DOCUMENT_SIGNING_CERT):
    raise ImproperlyConfigured(
        "DOCUMENT_SIGNING_KEY and DOCUMENT_SIGNING_CERT go together: set both or neither"
    )
DOCUMENT_TSA_URL = env_str("DOCUMENT_TSA_URL")
if DOCUMENT_TSA_URL and urlsplit(DOCUMENT_TSA_URL).scheme not in {"http", "https"}:
    raise ImproperlyConfigured(f"DOCUMENT_TSA_URL must be an http(s) URL, not {DOCUMENT_TSA_URL!r}")
DOCUMENT_TSA_TIMEOUT = env_int("DOCUMENT_TSA_TIMEOUT", 10, minimum=1)

# Accrochage (issue 17): the official XSD of the flux, downloaded by the certifier from the
# Caisse des Dépôts portal. Empty: the schema Parchemin ships (written from the public
# dictionary, accrochage/schema/accrochage.xsd) validates the files.
ACCROCHAGE_XSD_PATH = env_str("ACCROCHAGE_XSD_PATH")
if ACCROCHAGE_XSD_PATH and not Path(ACCROCHAGE_XSD_PATH).is_file():
    raise ImproperlyConfigured(f"ACCROCHAGE_XSD_PATH names no file: {ACCROCHAGE_XSD_PATH!r}")
# A selection of more holders than this is built by a Celery task, with progress.
ACCROCHAGE_SYNC_LIMIT = env_int("ACCROCHAGE_SYNC_LIMIT", 500, minimum=1)
