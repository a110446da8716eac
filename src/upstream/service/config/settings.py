"""Django settings for the Upstream service.

Configuration comes from the environment so that one settings module serves the demo, the
tests and production:

- ``DATABASE_URL``: defaults to an embedded SQLite file under ``var/``; CI also sets
  ``postgres://postgres@127.0.0.1:5432/test``.
- ``UPSTREAM_SECRET_KEY``: required; without it the service refuses to start, except with
  ``UPSTREAM_DEBUG=1`` and under the test runner (``upstream demo`` makes a fresh one itself).
- ``UPSTREAM_DEBUG``: ``1`` for development only.
- ``UPSTREAM_PRODUCTION``: ``1`` in production, served over HTTPS (through a proxy that ends
  TLS): HTTPS redirect, HSTS, ``Secure`` cookies; ``manage.py check --deploy`` passes with no
  warnings. The local demo runs on plain HTTP without it. ``UPSTREAM_SECURE_COOKIES=1`` is
  the older name for the same switch.
- ``UPSTREAM_TRUSTED_PROXY_HEADER``: with ``UPSTREAM_PRODUCTION``, the header the proxy in
  front sets to ``https`` (default ``X-Forwarded-Proto``); set it to empty when there is no
  proxy. Only trust a header that the proxy always overwrites.
- ``UPSTREAM_TWO_FACTOR_FOR_STAFF``: ``1`` (default) requires two-factor sign-in of every user;
  ``0`` of administrators only (they always need it).
- ``UPSTREAM_SESSION_MAX_HOURS``: a sign-in lasts at most this long, however active (default 10).
- ``UPSTREAM_API_RATE``: requests each API client may make (default ``120/min``).
- ``UPSTREAM_APP_DATABASE_URL``: PostgreSQL in production: the service connects as this
  runtime role (``upstream_app``, made by ``upstream db-roles``), which cannot update, delete or
  truncate the audit log. ``DATABASE_URL`` is then the owner, used only by ``upstream migrate``
  (which sets ``UPSTREAM_AS_OWNER=1`` for itself); serve without it, so the web process never
  holds the owner's password.
- ``UPSTREAM_NOTIFY_API_KEY``: a GOV.UK Notify API key; with it, texts, emails and letters go
  through Notify (``outreach/notify.py``), without it they wait in the outbox or print as PDF.
  ``UPSTREAM_NOTIFY_BASE_URL`` (default Notify's live API) and one generic template id per kind,
  ``UPSTREAM_NOTIFY_SMS_TEMPLATE_ID``, ``..._EMAIL_TEMPLATE_ID``, ``..._LETTER_TEMPLATE_ID`` (ADR
  0009).
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/upstream/service
REPO_DIR = PACKAGE_DIR.parent.parent.parent  # the checkout
VAR_DIR = Path(os.environ.get("UPSTREAM_VAR_DIR", REPO_DIR / "var"))
NODE_MODULES = Path(os.environ.get("UPSTREAM_NODE_MODULES", REPO_DIR / "node_modules"))

DEBUG = os.environ.get("UPSTREAM_DEBUG") == "1"
# pytest sets PYTEST_VERSION while it runs (pytest >= 8.2), before it loads these settings.
UNDER_TEST = "PYTEST_VERSION" in os.environ
SECRET_KEY = os.environ.get("UPSTREAM_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or UNDER_TEST):
        raise ImproperlyConfigured(
            "UPSTREAM_SECRET_KEY is not set. Set it to a long random value kept secret, e.g. "
            "from `python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or set "
            "UPSTREAM_DEBUG=1 for development on your own machine. `upstream demo` sets its own."
        )
    SECRET_KEY = "django-insecure-development-and-test-key-only"
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
    "upstream.service.notifications",
    "upstream.service.practice",
    "upstream.service.engagement",
    "upstream.service.outreach",
    "upstream.service.schedules",
    "upstream.service.insights",
    "upstream.service.api",
    "upstream.service.directory",
    "upstream.service.outcomes",
    "upstream.service.connect",
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
    "upstream.service.accounts.middleware.session_lifetime",
    "upstream.service.accounts.middleware.two_factor_required",
    "upstream.service.config.middleware.no_store",
    "upstream.service.audit.middleware.refused_attempts",
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
    # SQLite under several gunicorn workers. IMMEDIATE: a transaction takes the write lock when
    # it begins, so none has to upgrade a read lock part-way (SQLite answers that at once with
    # "database is locked", whatever the timeout); "timeout": writers queue for up to 20 s;
    # WAL: pages are read while someone writes; synchronous=FULL: a save the user was told
    # about survives a power cut. Checked by tests/integration/security/test_concurrency.py.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL",
    }
if os.environ.get("UPSTREAM_APP_DATABASE_URL") and os.environ.get("UPSTREAM_AS_OWNER") != "1":
    # The service runs as the runtime role; only `upstream migrate` connects as the owner.
    DATABASES["default"] = dj_database_url.parse(
        os.environ["UPSTREAM_APP_DATABASE_URL"], conn_max_age=60)

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
CSRF_FAILURE_VIEW = "upstream.service.config.views.csrf_failure"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock an account+address after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "upstream.service.accounts.views.locked_out"

# Two-factor sign-in (django-otp TOTP): the name authenticator apps show. Administrators
# always need it; every other user too unless UPSTREAM_TWO_FACTOR_FOR_STAFF=0.
OTP_TOTP_ISSUER = "Upstream"
UPSTREAM_TWO_FACTOR_FOR_STAFF = os.environ.get("UPSTREAM_TWO_FACTOR_FOR_STAFF", "1") != "0"

# Sessions expire after 30 minutes of inactivity and when the browser closes.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and at most this long after signing in, however active (accounts/middleware.py).
UPSTREAM_SESSION_MAX_AGE = int(float(os.environ.get("UPSTREAM_SESSION_MAX_HOURS", "10")) * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
PRODUCTION = "1" in (os.environ.get("UPSTREAM_PRODUCTION"),
                     os.environ.get("UPSTREAM_SECURE_COOKIES"))
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
if PRODUCTION:
    # Served over HTTPS only: plain HTTP is redirected, and browsers must keep using HTTPS
    # for a year on this host and its subdomains. The header consents to browsers' preload
    # lists; it takes effect only once the trust submits its domain (hstspreload.org).
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The TLS-ending proxy tells Django the request came over HTTPS.
    _PROXY_HEADER = os.environ.get("UPSTREAM_TRUSTED_PROXY_HEADER", "X-Forwarded-Proto")
    if _PROXY_HEADER:
        SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_HEADER.upper().replace("-", "_"), "https")

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
        # Fonts are the device's own (static/upstream/upstream.css); nothing from another host.
        "font-src": [SELF],
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
NHSUK_DIST = NODE_MODULES / "nhsuk-frontend" / "dist" / "nhsuk"
# NHS.UK's stylesheet without its web-font rules and with its icon links served is written
# there by its finder when first asked for (ui/assets.py).
SERVED_NHSUK_DIR = VAR_DIR / "static-generated" / "nhsuk"
STATICFILES_DIRS = [
    ("nhsuk", NHSUK_DIST),
    PACKAGE_DIR / "static",
]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "upstream.service.ui.assets.ServedStylesheetFinder",
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

# One cache shared by every gunicorn worker (the API rate limits live in it): a table in the
# service's own database, so nothing else needs running. `upstream serve` creates it.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "upstream_cache",
    }
}

# API: requests each client may make (django-ninja's "count/period"), and the largest request
# body accepted; a larger one is answered 413 (api/api.py).
UPSTREAM_API_RATE = os.environ.get("UPSTREAM_API_RATE", "120/min")
# Public "Find support" searches (no sign-in) each client address may make, in the same
# "count/period" form; over it the page answers 429 (directory/public_limits.py, ADR 0018).
UPSTREAM_FIND_SUPPORT_RATE = os.environ.get("UPSTREAM_FIND_SUPPORT_RATE", "60/min")
# How many proxies in front of the service append to X-Forwarded-For: the client's address is
# the one the nearest trusted proxy saw. 0 (the default) uses the connection's own address
# and ignores X-Forwarded-For, which a client can write anything into.
UPSTREAM_NUM_PROXIES = int(os.environ.get("UPSTREAM_NUM_PROXIES", "0"))
NINJA_NUM_PROXIES = UPSTREAM_NUM_PROXIES
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default, 2.5 MB

# Upstream's own settings.
UPSTREAM_DEFAULT_CASELOAD_LIMIT = 25
UPSTREAM_DEFAULT_ATTEMPTS_PROMPT = 6
UPSTREAM_NO_CONTACT_DAYS = 14
# A community referral still "requested" this many days after it was sent is flagged as having
# no response; each team may change it (Team.no_response_after_days; ADR 0021).
UPSTREAM_DEFAULT_NO_RESPONSE_DAYS = int(os.environ.get("UPSTREAM_DEFAULT_NO_RESPONSE_DAYS",
                                                       "5"))

# GOV.UK Notify (outreach/notify.py, ADR 0009).
UPSTREAM_NOTIFY_API_KEY = os.environ.get("UPSTREAM_NOTIFY_API_KEY", "")
UPSTREAM_NOTIFY_BASE_URL = os.environ.get(
    "UPSTREAM_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
UPSTREAM_NOTIFY_SMS_TEMPLATE_ID = os.environ.get("UPSTREAM_NOTIFY_SMS_TEMPLATE_ID", "")
UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("UPSTREAM_NOTIFY_EMAIL_TEMPLATE_ID", "")
UPSTREAM_NOTIFY_LETTER_TEMPLATE_ID = os.environ.get("UPSTREAM_NOTIFY_LETTER_TEMPLATE_ID", "")

# Postcode centroids for directory distance search (standards/postcode_directory.py, ADR 0018):
# built by `upstream postcodes ONSPD.csv`; the demo writes synthetic ones.
UPSTREAM_POSTCODE_DIRECTORY = Path(os.environ.get(
    "UPSTREAM_POSTCODE_DIRECTORY", VAR_DIR / "postcodes.sqlite3"))
