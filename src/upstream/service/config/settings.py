"""Django settings for the Upstream service.

Configuration comes from the environment so that one settings module serves the demo, the
tests and production:

- ``DATABASE_URL``: defaults to an embedded SQLite file under ``var/``; CI also sets
  ``postgres://postgres@127.0.0.1:5432/test``.
- ``UPSTREAM_SECRET_KEY``: required when ``UPSTREAM_DEBUG`` is off and not running the demo.
- ``UPSTREAM_DEBUG``: ``1`` for development only.
- ``UPSTREAM_SECURE_COOKIES``: ``1`` behind HTTPS (production); the local demo runs on plain HTTP.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/upstream/service
REPO_DIR = PACKAGE_DIR.parent.parent.parent  # the checkout
VAR_DIR = Path(os.environ.get("UPSTREAM_VAR_DIR", REPO_DIR / "var"))
NODE_MODULES = Path(os.environ.get("UPSTREAM_NODE_MODULES", REPO_DIR / "node_modules"))

DEBUG = os.environ.get("UPSTREAM_DEBUG") == "1"
SECRET_KEY = os.environ.get("UPSTREAM_SECRET_KEY", "insecure-demo-key-change-me-in-production")
ALLOWED_HOSTS = os.environ.get(
    "UPSTREAM_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "ninja",  # serves the API docs page's Swagger UI from our own static files (no CDN)
    "upstream.service.accounts",
    "upstream.service.audit",
    "upstream.service.people",
    "upstream.service.referrals",
    "upstream.service.engagement",
    "upstream.service.insights",
    "upstream.service.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "upstream.service.config.urls"
WSGI_APPLICATION = "upstream.service.config.wsgi.application"

TEMPLATES = [
    {
        # Our pages: Jinja2 with the NHS.UK frontend macros (see config/jinja2.py).
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [PACKAGE_DIR / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "upstream.service.config.jinja2.environment"},
    },
    {
        # Django's admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'upstream.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # One test database per process, so parallel runs on one server do not collide.
    DATABASES["default"]["TEST"] = {"NAME": f"test_upstream_{os.getpid()}"}
else:
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock an account+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "upstream.service.accounts.views.locked_out"

# Optional two-factor sign-in (django-otp TOTP): the name authenticator apps show.
OTP_TOTP_ISSUER = "Upstream"

# Sessions expire after 30 minutes of inactivity and when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_COOKIES = os.environ.get("UPSTREAM_SECURE_COOKIES") == "1"
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if SECURE_COOKIES:
    # Behind HTTPS: browsers must keep using HTTPS for a year.
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

# Secure headers.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        # NHS.UK frontend's CSS loads the Frutiger web font from the NHS's own asset server
        # (the font is licensed for NHS services, so it is not shipped); Arial when unreachable.
        "font-src": [SELF, "https://assets.nhs.uk"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    ("nhsuk", NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"),
    PACKAGE_DIR / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    # Logs never carry patient identifiers: log record ids and event names only.
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"upstream": {"level": "INFO"}},
}

# Upstream's own settings.
UPSTREAM_DEFAULT_CASELOAD_LIMIT = 25
UPSTREAM_DEFAULT_ATTEMPTS_PROMPT = 6
UPSTREAM_NO_CONTACT_DAYS = 14
