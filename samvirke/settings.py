"""Samvirke settings: one file, configured from the environment only.

Development and the demo run on an SQLite file under ``var/``; production sets
``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY`` or ``SECRET_KEY_FILE`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("SAMVIRKE_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to {file_name!r}: {exc}") from exc
    return os.environ.get(name, default)


DEBUG = env_bool("SAMVIRKE_DEBUG", False)
# The demo and the test suite run with relaxed settings that the deploy check rejects.
DEMO_MODE = env_bool("SAMVIRKE_DEMO", False)
# Under pytest the suite runs with test settings without anyone having to remember a variable.
TESTING = env_bool("SAMVIRKE_TESTING", "pytest" in sys.modules)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG or DEMO_MODE or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production-000000000000"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "Set SECRET_KEY or SECRET_KEY_FILE (or SAMVIRKE_DEMO=1 for a local demo)."
        )

# Identifying data are encrypted at rest (samvirke/lib/identitycrypto.py). Newest key first.
IDENTITY_KEYS = [k.strip() for k in env_secret("SAMVIRKE_IDENTITY_KEYS").split(",") if k.strip()]
IDENTITY_HASH_KEY = env_secret("SAMVIRKE_IDENTITY_HASH_KEY")
if not IDENTITY_KEYS or not IDENTITY_HASH_KEY:
    if DEBUG or DEMO_MODE or TESTING:
        from samvirke.lib.identitycrypto import derive_key

        IDENTITY_KEYS = IDENTITY_KEYS or [derive_key(SECRET_KEY, "identity")]
        IDENTITY_HASH_KEY = IDENTITY_HASH_KEY or derive_key(SECRET_KEY, "identity-hash")
    else:
        raise ImproperlyConfigured(
            "Set SAMVIRKE_IDENTITY_KEYS and SAMVIRKE_IDENTITY_HASH_KEY (or their *_FILE "
            "variants); `samvirke generate_identity_key` prints a new key."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if not DEBUG else "*")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "samvirke.web",
    "samvirke.accounts",
    "samvirke.audit",
    "samvirke.programmes",
    "samvirke.activities",
    "samvirke.participants",
    "samvirke.mapping",
    "samvirke.evaluation",
    "samvirke.measures",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "samvirke.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "samvirke.accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "samvirke.accounts.middleware.UserTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "samvirke.urls"
WSGI_APPLICATION = "samvirke.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "samvirke.web.context_processors.samvirke",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samvirke.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

if TESTING and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Lets the test runner empty the append-only audit table between tests (see audit 0002).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        "-c samvirke.allow_audit_truncate=on"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is deliberately slow; the suite creates thousands of users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions live in the database so that login keeps working when Redis is down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 12 * 60 * 60  # absolute lifetime, enforced by SessionLifetimeMiddleware
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = SESSION_COOKIE_AGE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not (DEBUG or DEMO_MODE or TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True

# Login throttling
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
# Password and sign-in links mailed to one person within an hour, whoever asks.
LINKS_PER_HOUR = env_int("LINKS_PER_HOUR", 3)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "samvirke.accounts.views.locked_out"
AXES_VERBOSE = False

# Two-factor authentication for staff roles
REQUIRE_2FA = env_bool("SAMVIRKE_REQUIRE_2FA", True)
OTP_TOTP_ISSUER = "Samvirke"

LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("sv", _("Swedish")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Oslo"
SAMVIRKE_TIME_ZONES = ["Europe/Oslo", "Europe/Stockholm"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not (DEBUG or TESTING)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
if TESTING or (DEMO_MODE and "TASKS_BACKEND" not in os.environ):
    # Tests and the demo run tasks at once; production runs `samvirke db_worker`.
    TASKS["default"]["BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if (DEBUG or DEMO_MODE)
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "samvirke@localhost")
# Links in e-mails (invitations, set-password links) start here, e.g. https://samvirke.example.org
BASE_URL = env_str("SAMVIRKE_BASE_URL").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers (the Content-Security-Policy is set by SecurityHeadersMiddleware)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if (DEBUG or DEMO_MODE) else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS >= 31536000)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not (DEBUG or DEMO_MODE or TESTING))
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

ADMINS = [("Samvirke", a) for a in env_list("ADMIN_EMAILS")]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "samvirke.web.views.csrf_failure"

# Item texts of licensed instruments (SWEMWBS, ORS, EQ-5D, CORE-10), kept by the licensee outside
# the repository; see samvirke/evaluation/instrument_files.py.
SAMVIRKE_LICENSED_INSTRUMENTS_DIR = env_str("SAMVIRKE_LICENSED_INSTRUMENTS_DIR", "")
