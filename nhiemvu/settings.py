"""One settings file, driven by the environment (DESIGN.md rule 6).

Defaults give a working local system on SQLite; production sets DATABASE_URL, SECRET_KEY,
ALLOWED_HOSTS and NHIEMVU_PRODUCTION=1.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


# Safe by default: DEBUG is off unless asked for (DEBUG=1), so a server started without any
# setting never shows tracebacks; production mode adds secure cookies, HSTS and TLS redirects.
PRODUCTION: bool = env_bool("NHIEMVU_PRODUCTION", False)
DEBUG = env_bool("NHIEMVU_DEBUG", env_bool("DEBUG", False))
VAR_DIR = Path(env_str("NHIEMVU_VAR_DIR", str(BASE_DIR / "var")))
# Never a key written in the code. Production must set SECRET_KEY (refused if short or the old
# development value); a local installation gets a random key made once and kept in var/.
DEVELOPMENT_KEYS = {"dev-only-insecure-key-change-me"}


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if PRODUCTION:
        if len(key) < 40 or key in DEVELOPMENT_KEYS:
            raise RuntimeError(
                "NHIEMVU_PRODUCTION=1 needs SECRET_KEY set to a random value of at least 40 "
                "characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
            )
        return key
    if key:
        return key
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_urlsafe(50)
        # O_EXCL: two processes starting together keep the one written first.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(fresh)
        return fresh


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_str("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",  # serves Swagger UI and Redoc from its own static files, not a CDN
    "rules.apps.AutodiscoverRulesConfig",
    "axes",
    "nhiemvu.accounts",
    "nhiemvu.orgs",
    "nhiemvu.directives",
    "nhiemvu.assignments",
    "nhiemvu.audit",
    "nhiemvu.webhooks",
    "nhiemvu.reminders",
    "nhiemvu.reports",
    "nhiemvu.web",
]

MIDDLEWARE = [
    # First: the request id, the access line and the request metrics see every answer.
    "nhiemvu.web.middleware.ObserveMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from the application itself, under gunicorn too (no proxy needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "nhiemvu.web.middleware.RequestGuardMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "nhiemvu.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the person is known, before any process_view (CSRF parses the form there).
    "nhiemvu.web.middleware.LargeBodyGuardMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login never reaches the view (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "nhiemvu.urls"
WSGI_APPLICATION = "nhiemvu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "nhiemvu.web.context.shell",
            ],
        },
    }
]

# SQLite by default: WAL so readers never block the writer, IMMEDIATE transactions so two
# writers queue on the busy timeout instead of failing with "database is locked" on upgrade.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    # Persistent connections (one per web thread, checked before reuse): opening a PostgreSQL
    # connection per request cost more than the task list's own queries (issue 15, bench/peer.py).
    # DB_POOL=1 uses psycopg's pool instead (then CONN_MAX_AGE must be 0).
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=0 if env_bool("DB_POOL", False) else env_int("CONN_MAX_AGE", 600),
            conn_health_checks=True,
        )
    }
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        # JIT compilation costs more than it saves on these queries: a report over a million
        # tasks spent 1.2 s compiling before running (bench/reports.py).
        DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
        if env_bool("DB_POOL", False):
            DATABASES["default"]["OPTIONS"]["pool"] = True
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env_str("SQLITE_PATH", str(VAR_DIR / "nhiemvu.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
                ),
            },
            # Tests run on a file too: an in-memory shared-cache database locks whole tables
            # and ignores the busy timeout, which is not how the real system behaves. One file
            # per test process, so that two test runs in one checkout never share a database.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lockout page, in the user's language, instead of axes' English one-liner.
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
# Beside the per-account lockout: an address that failed on this many different accounts within
# the cool-off window is refused (password spraying; accounts/views.py).
NHIEMVU_LOGIN_IP_USERNAMES = env_int("NHIEMVU_LOGIN_IP_USERNAMES", 10)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["nhiemvu.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# WhiteNoise reads this folder at start (and warns when it is missing, before collectstatic).
with contextlib.suppress(OSError):
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Production serves compressed files with hashed names (cached for a year) once
# `manage.py collectstatic` has run; before that, and locally, WhiteNoise serves the files from
# the source folders under their plain names, so a page is never without its styles and scripts.
if PRODUCTION:
    STORAGES["staticfiles"] = {"BACKEND": "nhiemvu.web.staticfiles.StaticStorage"}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

TASKS = {
    "default": {
        # django-tasks-db's backend that also stores the enqueuing request's id (lib/logs.py).
        "BACKEND": env_str("TASKS_BACKEND", "nhiemvu.web.taskqueue.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# E-mail: printed to the console locally; SMTP when EMAIL_HOST is set (Django 6.1 MAILERS).
if env_str("EMAIL_HOST", ""):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_USER", ""),
                "password": env_str("EMAIL_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": 20,
            },
        }
    }
elif env_str("EMAIL_FILE_PATH", ""):
    # Every message written to a file in this folder (benchmarks, a staging copy): no SMTP.
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("EMAIL_FILE_PATH", "")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "nhiemvu@localhost")

# Uploads: PDF and DOCX only, checked by content as well as by name.
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# The old tracker's export and its zip of files arrive in one request on the switch-over page:
# years of attachments need more than one file's bound. Only the office may send that much
# (web/middleware.py refuses anyone else before the body is read); the zip's contents keep their
# own bounds (FILE_BOUNDS' LEGACY_ZIP_*).
LEGACY_UPLOAD_MAX_BYTES = env_int("NHIEMVU_LEGACY_UPLOAD_MAX_MB", 500) * 1024 * 1024
# Bounds on what an uploaded file may hold, each checked before the costly step (lib/bounds.py,
# issue 24): a PDF's pages (counted on its page tree before any page is read), a DOCX/XLSX's
# parts and unpacked size (on the zip directory), a workbook's sheets, the size of each sheet,
# and the rows and columns an import reads.
FILE_BOUNDS = {
    "PDF_MAX_PAGES": env_int("NHIEMVU_PDF_MAX_PAGES", 300),
    "ZIP_MAX_PARTS": env_int("NHIEMVU_ZIP_MAX_PARTS", 2000),
    "ZIP_MAX_UNPACKED_MB": env_int("NHIEMVU_ZIP_MAX_UNPACKED_MB", 100),
    "XLSX_MAX_SHEETS": env_int("NHIEMVU_XLSX_MAX_SHEETS", 50),
    "XLSX_MAX_SHEET_MB": env_int("NHIEMVU_XLSX_MAX_SHEET_MB", 20),
    "XLSX_MAX_ROWS": env_int("NHIEMVU_XLSX_MAX_ROWS", 5000),
    "XLSX_MAX_COLUMNS": env_int("NHIEMVU_XLSX_MAX_COLUMNS", 40),
    # The switch-over's zip of attached files (lib/archives.check_bundle).
    "LEGACY_ZIP_MAX_FILES": env_int("NHIEMVU_LEGACY_ZIP_MAX_FILES", 50_000),
    "LEGACY_ZIP_MAX_UNPACKED_MB": env_int("NHIEMVU_LEGACY_ZIP_MAX_UNPACKED_MB", 2000),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Strict CSP: no inline script or style anywhere, everything served from our own origin.
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
# A password-reset link works once and for one day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Watching it (issue 31 item 3). /readyz fails when no scheduler stepped within this many
# minutes, or when the oldest unsent e-mail is older than this many minutes (web/health.py).
HEALTH_SCHEDULER_MINUTES = env_int("NHIEMVU_READY_SCHEDULER_MINUTES", 5)
HEALTH_OUTBOX_MINUTES = env_int("NHIEMVU_READY_OUTBOX_MINUTES", 60)
# /metrics answers a Bearer token or the listed addresses (IPs or networks, the address that
# connects to gunicorn); with neither set it is off (404). web/metrics.py.
METRICS_TOKEN = env_str("NHIEMVU_METRICS_TOKEN", "")
METRICS_ALLOW = [a.strip() for a in env_str("NHIEMVU_METRICS_ALLOW", "").split(",") if a.strip()]
# Several gunicorn processes: each writes its counters to files in this folder and /metrics adds
# them up (prometheus_client's multiprocess mode, which reads PROMETHEUS_MULTIPROC_DIR when it is
# first imported, so it is set here, before). gunicorn.conf.py empties it at start.
METRICS_DIR = env_str("NHIEMVU_METRICS_DIR", "")
if METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = METRICS_DIR
    with contextlib.suppress(OSError):
        Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)

# Background workers' leases (issue 31, stuck jobs; web/jobs.py): a worker renews its lease
# every quarter of this many seconds; a job whose worker's lease lapsed is put back in the queue
# (or failed, when running it twice is not known to be safe). A job claimed by a worker that kept
# no lease (plain `db_worker`) is treated the same once it has run this many hours.
WORKER_LEASE_SECONDS = env_int("NHIEMVU_WORKER_LEASE_SECONDS", 60)
WORKER_UNLEASED_HOURS = env_int("NHIEMVU_WORKER_UNLEASED_HOURS", 6)

# Backups (web/backup.py): sealed with this key when set (32 bytes, URL-safe base64; make one with
# `manage.py backup --new-key` and keep it apart from the backups), and the backup folder pruned
# to the newest NHIEMVU_BACKUP_KEEP after each backup (0 keeps every one).
BACKUP_KEY = env_str("NHIEMVU_BACKUP_KEY", "")
BACKUP_KEEP = env_int("NHIEMVU_BACKUP_KEEP", 14)

# The reverse proxies in front of gunicorn (deploy/nginx: 127.0.0.1): from their requests the
# client's address is the one they append to X-Forwarded-For (web/middleware.py); empty, the
# connecting address is the client's.
TRUSTED_PROXIES = {
    a.strip() for a in env_str("NHIEMVU_TRUSTED_PROXIES", "").split(",") if a.strip()
}

# Logs: plain lines, or one JSON object a line (NHIEMVU_LOG_FORMAT=json) carrying the request id
# that follows a request into the jobs it enqueued (lib/logs.py, web/middleware.py).
LOG_FORMAT = env_str("NHIEMVU_LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "nhiemvu.lib.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "nhiemvu.lib.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # One line per request (method, route, status, time, request id): in JSON mode it
        # replaces gunicorn's access log (gunicorn.conf.py), which cannot carry the request id.
        "nhiemvu.access": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # A job's start and end, with the request id it carries (django.tasks logs them;
        # web/taskqueue.py says the start again once the id is set).
        "django.tasks": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        "nhiemvu.jobs": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# Domain settings (DOMAIN.md marks these as provincial choices, not law).
NHIEMVU: dict[str, Any] = {
    # "Sắp quá hạn" when the deadline is within this many working days.
    "DUE_SOON_WORKING_DAYS": env_int("NHIEMVU_DUE_SOON_DAYS", 3),
    # Completion within an approved extension counts as on time.
    "EXTENSION_COUNTS_ON_TIME": env_bool("NHIEMVU_EXTENSION_ON_TIME", True),
    # Denominator of the on-time rate: "completed_plus_overdue" (default) or "completed".
    "ON_TIME_RATE_BASE": env_str("NHIEMVU_ON_TIME_BASE", "completed_plus_overdue"),
    # Extension requests after the deadline need the office's leave.
    "EXTENSION_AFTER_DEADLINE": env_bool("NHIEMVU_EXTENSION_AFTER_DEADLINE", False),
    "PROVINCE_NAME": env_str("NHIEMVU_PROVINCE", "Gia Lai"),
    # Reporting periods: "decree09" (15th to 14th, Nghị định 09/2019) or "calendar".
    "PERIOD_RULE": env_str("NHIEMVU_PERIOD_RULE", "decree09"),
    # The urging letter and page list owed work due within this many working days (and overdue).
    "URGING_WORKING_DAYS": env_int("NHIEMVU_URGING_DAYS", 7),
    # An open task this many working days past its deadline needs the lead agency's
    # explanation of the delay (issue 18; late completions and late extension requests always).
    "EXPLAIN_AFTER_OVERDUE_DAYS": env_int("NHIEMVU_EXPLAIN_AFTER_DAYS", 5),
    # Digital signatures (issue 17). Whether the server may ask a CA (OCSP/CRL) if a certificate
    # was revoked: off by default, as provincial servers are often offline ("not checked").
    "SIGNATURE_FETCH_REVOCATION": env_bool("NHIEMVU_SIGNATURE_FETCH_REVOCATION", False),
    # What checking one uploaded PDF's signatures may cost (issue 24; lib/signatures.Budget): past
    # any bound the verdict is "could not be checked (too complex)" and the upload is kept.
    "SIGNATURE_MAX_CERTS": env_int("NHIEMVU_SIGNATURE_MAX_CERTS", 10),
    "SIGNATURE_MAX_CERT_BYTES": env_int("NHIEMVU_SIGNATURE_MAX_CERT_BYTES", 64 * 1024),
    "SIGNATURE_MAX_SAME_NAME": env_int("NHIEMVU_SIGNATURE_MAX_SAME_NAME", 3),
    "SIGNATURE_MAX_FIELDS": env_int("NHIEMVU_SIGNATURE_MAX_FIELDS", 10),
    "SIGNATURE_MAX_REVISIONS": env_int("NHIEMVU_SIGNATURE_MAX_REVISIONS", 50),
    "SIGNATURE_MAX_OBJECTS": env_int("NHIEMVU_SIGNATURE_MAX_OBJECTS", 2000),
    "SIGNATURE_TIMEOUT_SECONDS": env_int("NHIEMVU_SIGNATURE_TIMEOUT_SECONDS", 5),
    # A completion report unsigned, or signed by another organisation than the lead agency:
    # "warn" the person confirming it (default) or "refuse" the confirmation.
    "UNSIGNED_REPORT_POLICY": env_str("NHIEMVU_UNSIGNED_REPORT_POLICY", "warn"),
    # The office's certificate for what it issues (urging letters, periodic reports as PDF): a
    # PKCS#12 file and its password, from the environment or a file, never the database.
    "SIGNING_PKCS12": env_str("NHIEMVU_SIGNING_PKCS12", ""),
    "SIGNING_PASSWORD": env_str("NHIEMVU_SIGNING_PASSWORD", ""),
    "SIGNING_PASSWORD_FILE": env_str("NHIEMVU_SIGNING_PASSWORD_FILE", ""),
    # The reader's learned model: the shipped one until `manage.py reader train` writes one
    # retrained on the province's own registered directives (issue 26 item 4).
    "READER_MODEL": env_str(
        "NHIEMVU_READER_MODEL", str(BASE_DIR / "nhiemvu" / "extraction" / "model.json")
    ),
}

# --- Accounts from outside (issue 30): the rules that place a person, and the directory --------
# Where a person belongs (accounts/mapping.py, README "Quy tắc ánh xạ"): JSON over its defaults;
# a malformed value stops the start rather than letting people in by the defaults.
try:
    NHIEMVU_ACCOUNT_RULES: dict[str, Any] = json.loads(env_str("NHIEMVU_ACCOUNT_RULES", "{}"))
except json.JSONDecodeError as error:
    raise ImproperlyConfigured(f"NHIEMVU_ACCOUNT_RULES is not valid JSON: {error}") from error

# Directory sign-in and sync (accounts/ldap.py, README "Thư mục người dùng"), off without a URL.
NHIEMVU_LDAP: dict[str, Any] = {
    "URL": env_str("NHIEMVU_LDAP_URL", ""),  # ldap://host:389, or ldaps://host:636
    "START_TLS": env_bool("NHIEMVU_LDAP_START_TLS", False),
    "CA_FILE": env_str("NHIEMVU_LDAP_CA_FILE", ""),  # the directory's CA (TLS is always checked)
    "BIND_DN": env_str("NHIEMVU_LDAP_BIND_DN", ""),
    "BIND_PASSWORD": env_str("NHIEMVU_LDAP_BIND_PASSWORD", ""),
    "USER_BASE": env_str("NHIEMVU_LDAP_USER_BASE", ""),
    "USER_FILTER": env_str(
        "NHIEMVU_LDAP_USER_FILTER", "(&(objectClass=inetOrgPerson)(uid={username}))"
    ),
    "SYNC_FILTER": env_str("NHIEMVU_LDAP_SYNC_FILTER", "(objectClass=inetOrgPerson)"),
    "GROUP_BASE": env_str("NHIEMVU_LDAP_GROUP_BASE", ""),  # empty: groups are not searched
    "GROUP_FILTER": env_str(
        "NHIEMVU_LDAP_GROUP_FILTER", "(&(objectClass=groupOfNames)(member={dn}))"
    ),
    "ID_ATTR": env_str("NHIEMVU_LDAP_ID_ATTR", "entryUUID"),  # objectGUID on Active Directory
    "USERNAME_ATTR": env_str("NHIEMVU_LDAP_USERNAME_ATTR", "uid"),  # sAMAccountName on AD
    "NAME_ATTR": env_str("NHIEMVU_LDAP_NAME_ATTR", "cn"),
    "EMAIL_ATTR": env_str("NHIEMVU_LDAP_EMAIL_ATTR", "mail"),
    "CLAIM_ATTRS": env_str("NHIEMVU_LDAP_CLAIM_ATTRS", "departmentNumber,ou,memberOf").split(","),
    "TIMEOUT": env_int("NHIEMVU_LDAP_TIMEOUT_SECONDS", 5),  # connecting, and each operation
}
if NHIEMVU_LDAP["URL"]:
    # After local accounts (they work with the directory down); after axes (its lockout counts).
    AUTHENTICATION_BACKENDS.append("nhiemvu.accounts.ldap.LdapBackend")

# --- Single sign-on (OpenID Connect) and two-factor (issue 30): nhiemvu/settings_signin.py ----
from nhiemvu.settings_signin import *  # noqa: E402, F403

INSTALLED_APPS += SIGNIN_APPS  # noqa: F405
MIDDLEWARE += SIGNIN_MIDDLEWARE  # noqa: F405
SECURE_CSP["form-action"] = [*SECURE_CSP["form-action"], *PORTAL_FORM_ACTION]  # noqa: F405

# --- Web Push (issue 32, reminders/push.py): the VAPID key pair that signs every push (`manage.py
# push keys` prints one; without it no device can subscribe) and the push services the server may
# POST to (a host, or ".domain"): a subscription's endpoint elsewhere is refused (SSRF).
VAPID_PUBLIC_KEY = env_str("NHIEMVU_VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("NHIEMVU_VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("NHIEMVU_VAPID_SUBJECT", f"mailto:{DEFAULT_FROM_EMAIL}")
_PUSH = "fcm.googleapis.com,updates.push.services.mozilla.com,.push.apple.com,.notify.windows.com"
PUSH_HOSTS = [h.strip().lower() for h in env_str("NHIEMVU_PUSH_HOSTS", _PUSH).split(",") if h]
