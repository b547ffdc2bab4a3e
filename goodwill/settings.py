"""goodwill settings: one file, everything from ``GOODWILL_*`` environment variables.

Secrets may come from a file named by ``<NAME>_FILE``. SQLite in ``GOODWILL_DATA_DIR`` by default;
``GOODWILL_DATABASE_URL=postgres://…`` switches to PostgreSQL.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def envstr(name: str, default: str = "") -> str:
    """Read ``GOODWILL_<NAME>``, or the file named by ``GOODWILL_<NAME>_FILE``."""
    file_name = os.environ.get(f"GOODWILL_{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(f"GOODWILL_{name}", default)


def envbool(name: str, default: str = "False") -> bool:
    """Strict boolean: only True/False (any case), 1/0, yes/no, on/off are accepted."""
    value = envstr(name, default).strip().lower()
    if value in ("true", "1", "yes", "on"):
        return True
    if value in ("false", "0", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"GOODWILL_{name} must be true or false, not {value!r}")


DATA_DIR = Path(envstr("DATA_DIR", str(Path.cwd() / "var"))).resolve()
DEBUG = envbool("DEBUG", "False")
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    # Desktop mode: a random key kept in the data folder, so sessions survive restarts.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        import secrets

        _key_file.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text(encoding="utf-8").strip()

ALLOWED_HOSTS = [h.strip() for h in envstr("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = [SITE_URL]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "template_partials",
    "ninja",
    "goodwill.core",
    "goodwill.accounts",
    "goodwill.people",
    "goodwill.timeline",
    "goodwill.occasions",
    "goodwill.commerce",
    "goodwill.feedback",
    "goodwill.outreach",
    "goodwill.exchange",
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
    "goodwill.core.middleware.ErrorMiddleware",
]

ROOT_URLCONF = "goodwill.urls"
WSGI_APPLICATION = "goodwill.wsgi.application"

# Django's form renderer with its common templates written out in Python (same output, faster).
FORM_RENDERER = "goodwill.core.form_renderer.FastRenderer"

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
                "goodwill.accounts.context_processors.business",
                "goodwill.outreach.context_processors.health_banner",
            ],
            "builtins": ["django.templatetags.i18n"],
        },
    }
]

DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("GOODWILL_DATABASE_URL must be a postgres:// URL")
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "goodwill.core.sqlite",
            "NAME": str(DATA_DIR / "goodwill.sqlite3"),
            # Each server thread keeps its connection: opening one (and its PRAGMAs) cost a
            # third of a small request's time.
            "CONN_MAX_AGE": 600,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;"
                    "PRAGMA cache_size=-64000;"
                    "PRAGMA mmap_size=268435456;"
                ),
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "occasions:today"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if envbool("FAST_PASSWORD_HASHER", "False"):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing root
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "uploads"
# A nightly backup into DATA_DIR/backups/daily (7 daily + 4 weekly kept); false turns it off.
BACKUP_DAILY = envbool("BACKUP_DAILY", "True")
# The largest contacts file the web page and the API take (the CLI has no limit but 2 GB).
IMPORT_MAX_MB = int(envstr("IMPORT_MAX_MB", "2048"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = SITE_URL.startswith("https://")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Email: the console backend in development; SMTP once GOODWILL_EMAIL_URL
# (smtp://user:password@host:587, smtp+tls://… for STARTTLS, smtps://… for TLS from the start) or
# GOODWILL_SMTP_HOST (+ _PORT, _USER, _PASSWORD or _PASSWORD_FILE, _TLS, _SSL) is set.
EMAIL_URL = envstr("EMAIL_URL")
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    if _email.scheme not in ("smtp", "smtp+tls", "smtps") or not _email.hostname:
        raise ImproperlyConfigured("GOODWILL_EMAIL_URL must look like smtp://user:pass@host:port")
    EMAIL_HOST = _email.hostname
    EMAIL_PORT = _email.port or {"smtp": 25, "smtp+tls": 587, "smtps": 465}[_email.scheme]
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_TLS = _email.scheme == "smtp+tls"
    EMAIL_USE_SSL = _email.scheme == "smtps"
else:
    EMAIL_HOST = envstr("SMTP_HOST", "localhost")
    EMAIL_PORT = int(envstr("SMTP_PORT", "25"))
    EMAIL_HOST_USER = envstr("SMTP_USER")
    EMAIL_HOST_PASSWORD = envstr("SMTP_PASSWORD")
    EMAIL_USE_TLS = envbool("SMTP_TLS", "False")
    EMAIL_USE_SSL = envbool("SMTP_SSL", "False")
_smtp_default = bool(EMAIL_URL or envstr("SMTP_HOST"))
EMAIL_BACKEND = envstr(
    "EMAIL_BACKEND",
    "goodwill.outreach.channels.smtp.EmailBackend"
    if _smtp_default
    else "django.core.mail.backends.console.EmailBackend",
)
# Seconds: a hung server must not hang a worker.
EMAIL_TIMEOUT = float(envstr("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = envstr("FROM_EMAIL", "goodwill@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

NINJA_PAGINATION_PER_PAGE = 50
# The public survey page (/s/<token>/): requests per client IP, GET and POST together
# (django-ratelimit: "30/m", "600/h"). Counted in Django's cache, which is per process until a
# shared cache is configured: each web process then allows this many.
SURVEY_RATE = envstr("SURVEY_RATE", "30/m")
# Bad unsubscribe or preference links one IP may try per minute (good ones are never limited).
PREFERENCES_RATE = envstr("PREFERENCES_RATE", "30/m")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Survey tokens are in their page's path: Django's request and CSRF warnings show them as …
    "filters": {"survey_tokens": {"()": "goodwill.feedback.logs.RedactSurveyTokens"}},
    "loggers": {
        name: {"filters": ["survey_tokens"]}
        for name in ("django.request", "django.security.csrf", "django.server")
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["survey_tokens"]}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
