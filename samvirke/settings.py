"""Samvirke settings: one file, configured from the environment only.

Development and the demo run on an SQLite file under ``var/``; production sets
``DATABASE_URL`` (PostgreSQL), ``SECRET_KEY`` or ``SECRET_KEY_FILE`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Callable
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

VAR_DIR.mkdir(parents=True, exist_ok=True)
# Development, the demo and the tests never use a key anyone could read in the source: each
# installation generates its own secrets once, in files only its owner may read.
RELAXED = DEBUG or DEMO_MODE or TESTING


def local_secret(name: str, make: Callable[[], str]) -> str:
    """This installation's own generated secret ``VAR_DIR/secrets/<name>`` (never production)."""
    folder = VAR_DIR / "secrets"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / name
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(make())
    return path.read_text(encoding="utf-8").strip()


def _new_secret_key() -> str:
    return secrets.token_urlsafe(50)


def _new_hash_key() -> str:
    return secrets.token_urlsafe(32)


# Which secrets were generated for a relaxed run: `check --deploy` refuses each of them.
GENERATED_SECRETS: list[str] = []
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not RELAXED:
        raise ImproperlyConfigured(
            "Set SECRET_KEY or SECRET_KEY_FILE (or SAMVIRKE_DEMO=1 for a local demo)."
        )
    SECRET_KEY = local_secret("secret_key", _new_secret_key)
    GENERATED_SECRETS.append("SECRET_KEY")

# Identifying data are encrypted at rest (samvirke/lib/identitycrypto.py). Newest key first.
IDENTITY_KEYS = [k.strip() for k in env_secret("SAMVIRKE_IDENTITY_KEYS").split(",") if k.strip()]
# The duplicate-detection hash key, newest first; an older one is kept only until
# `samvirke rotate_identity_key` has rehashed every row (docs/operations.md).
IDENTITY_HASH_KEYS = [
    k.strip() for k in env_secret("SAMVIRKE_IDENTITY_HASH_KEY").split(",") if k.strip()
]
if not IDENTITY_KEYS or not IDENTITY_HASH_KEYS:
    if not RELAXED:
        raise ImproperlyConfigured(
            "Set SAMVIRKE_IDENTITY_KEYS and SAMVIRKE_IDENTITY_HASH_KEY (or their *_FILE "
            "variants); `samvirke generate_identity_key` prints a new key."
        )
    from samvirke.lib.identitycrypto import new_key

    if not IDENTITY_KEYS:
        IDENTITY_KEYS = [local_secret("identity_key", new_key)]
        GENERATED_SECRETS.append("SAMVIRKE_IDENTITY_KEYS")
    if not IDENTITY_HASH_KEYS:
        IDENTITY_HASH_KEYS = [local_secret("identity_hash_key", _new_hash_key)]
        GENERATED_SECRETS.append("SAMVIRKE_IDENTITY_HASH_KEY")

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
    "samvirke.imports",
    "samvirke.accounts",
    "samvirke.audit",
    "samvirke.programmes",
    "samvirke.activities",
    "samvirke.participants",
    "samvirke.mapping",
    "samvirke.evaluation",
    "samvirke.measures",
    "samvirke.ventures",
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

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'samvirke.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with timestamps read by psycopg's compiled loader (samvirke.lib.postgresql)
    DATABASES["default"]["ENGINE"] = "samvirke.lib.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }


def cache_settings(url: str, *, var_dir: Path, testing: bool) -> dict[str, dict[str, object]]:
    """``CACHES`` from ``CACHE_URL``: what every worker process shares (the programme
    aggregates of ``mapping/aggregate_versions.py``, derived from health data).

    - ``redis://…`` or ``rediss://…``: Django's Redis cache, for several hosts;
    - ``file:///a/folder``, or unset: files in that folder (``VAR_DIR/cache`` when unset), which
      every worker on the host shares without another service; the folder is the owner's alone;
    - unset under the tests: each process its own memory, so that tests stay apart.
    """
    if url.startswith(("redis://", "rediss://")):
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "samvirke",
            }
        }
    if url.startswith("file://"):
        folder = Path(url.removeprefix("file://"))
        if not folder.is_absolute():
            raise ImproperlyConfigured(f"CACHE_URL file:// needs an absolute path, got {url!r}")
    elif url:
        raise ImproperlyConfigured(
            f"CACHE_URL must start with redis://, rediss:// or file://: {url!r}"
        )
    elif testing:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    else:
        folder = var_dir / "cache"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)  # also when it was there before, or the umask narrowed nothing
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(folder),
        }
    }


CACHES = cache_settings(env_str("CACHE_URL"), var_dir=VAR_DIR, testing=TESTING)


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

# Sign-in throttling (samvirke/accounts/throttle.py; django-axes only records the failures).
# An account (the address typed, whether or not it exists) gets SIGN_IN_FREE_FAILURES tries,
# then waits 1, 2, 4 … minutes (at most SIGN_IN_MAX_DELAY_MINUTES) before each further one;
# an address that fails SIGN_IN_IP_FAILURE_LIMIT times in a day waits an hour. Setting a
# password through an e-mailed link lets that browser in past both.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
SIGN_IN_FREE_FAILURES = AXES_FAILURE_LIMIT
SIGN_IN_MAX_DELAY_MINUTES = env_int("SIGN_IN_MAX_DELAY_MINUTES", 60)
SIGN_IN_IP_FAILURE_LIMIT = env_int("SIGN_IN_IP_FAILURE_LIMIT", 30)
AXES_LOCK_OUT_AT_FAILURE = False
AXES_COOLOFF_TIME = 24  # hours: failures older than a day are forgotten
AXES_LOCKOUT_PARAMETERS = ["username"]  # what a successful sign-in resets
# axes warns that it does not limit per address with that: throttle.py does, so a successful
# sign-in to one's own account must not wipe the failures of one's address (axes.W006).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_CLIENT_IP_CALLABLE = "samvirke.audit.services.client_ip"
AXES_USERNAME_CALLABLE = "samvirke.accounts.throttle.axes_username"
# Proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env_list("SAMVIRKE_TRUSTED_PROXIES")
try:
    from samvirke.lib.client_ip import networks

    networks(TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"SAMVIRKE_TRUSTED_PROXIES: {exc}") from exc
# A set-password link (invitation or "forgotten password") works for 24 hours, not Django's 3 days.
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60
# Password and sign-in links mailed to one person within an hour, whoever asks.
LINKS_PER_HOUR = env_int("LINKS_PER_HOUR", 3)
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
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
# Files people attach (a venture's documents) live here, outside the web root: no static or
# media handler serves this folder; a view hands out each file after its permission check.
PRIVATE_FILES_DIR = Path(env_str("SAMVIRKE_PRIVATE_DIR") or VAR_DIR / "private")
DOCUMENT_MAX_BYTES = env_int("SAMVIRKE_DOCUMENT_MAX_MB", 10) * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": PRIVATE_FILES_DIR,
            "base_url": "/no-public-address/",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
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
# Mail leaves encrypted: STARTTLS on the submission port unless SSL (port 465) is chosen.
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", not EMAIL_USE_SSL)
EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "samvirke@localhost")
# Links in e-mails (invitations, set-password links) start here, e.g. https://samvirke.example.org
BASE_URL = env_str("SAMVIRKE_BASE_URL").rstrip("/")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Uploaded spreadsheets are read in a child process held to these limits
# (imports/sandbox.py).
IMPORT_PARSE_IN_CHILD = env_bool("IMPORT_PARSE_IN_CHILD", True)
IMPORT_PARSE_MEMORY_MB = env_int("IMPORT_PARSE_MEMORY_MB", 256)
IMPORT_PARSE_SECONDS = env_int("IMPORT_PARSE_SECONDS", 20)

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
    "filters": {"quiet_refusals": {"()": "samvirke.web.logging.QuietRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["quiet_refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

CSRF_FAILURE_VIEW = "samvirke.web.views.csrf_failure"

# Item texts of licensed instruments (SWEMWBS, ORS, EQ-5D, CORE-10), kept by the licensee outside
# the repository; see samvirke/evaluation/instrument_files.py.
SAMVIRKE_LICENSED_INSTRUMENTS_DIR = env_str("SAMVIRKE_LICENSED_INSTRUMENTS_DIR", "")
