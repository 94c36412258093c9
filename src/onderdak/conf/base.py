"""Settings for every environment. Every deployment value comes from the environment.

Production is this module as it is (``DJANGO_SETTINGS_MODULE=onderdak.conf.base``, also the default
of the ``onderdak`` command and of ``onderdak.wsgi``): it refuses to start without
``DJANGO_SECRET_KEY`` and ``DJANGO_ALLOWED_HOSTS``. Development is asked for explicitly
(``DJANGO_SETTINGS_MODULE=onderdak.conf.dev``; ``onderdak demo`` chooses it when nothing is set).
``dev.py`` and ``test.py`` only set environment defaults, import this module and name their profile.
``.env.example`` documents every variable; ``docs/deployment.md`` explains them.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import dj_database_url
import django_stubs_ext

django_stubs_ext.monkeypatch()  # lets runtime code subscript generic Django classes

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # src/onderdak
PROJECT_DIR = PACKAGE_DIR.parent.parent  # the checkout (for var/ and node_modules/)


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"Environment variable {name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"Environment variable {name} must be an integer, not {raw!r}."
        ) from None


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


#: Which settings module is in force: "production" here; dev.py and test.py overwrite it.
#: ``onderdak demo`` refuses to run under production settings.
SETTINGS_PROFILE = "production"

DEBUG = env_bool("DJANGO_DEBUG", default=False)
VAR_DIR = Path(env_str("ONDERDAK_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY is required (see .env.example).")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS is required when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "onderdak.apps.core.views.csrf_failure"

HTTPS = env_bool("ONDERDAK_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("ONDERDAK_SESSION_SECONDS", 8 * 3600)
SECURE_HSTS_SECONDS = env_int("ONDERDAK_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = env_bool("ONDERDAK_SSL_REDIRECT", default=False)
#: Addresses (or networks, or "*") of the reverse proxies that terminate TLS. Only then is
#: ``X-Forwarded-Proto: https`` believed, and only from these addresses
#: (``onderdak.common.security.TrustedProxyMiddleware`` drops it from anyone else), so that
#: ``request.is_secure()`` is true behind the proxy: HSTS is sent and the SSL redirect cannot loop.
TRUSTED_PROXIES = env_list("ONDERDAK_TRUSTED_PROXIES")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXIES else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "onderdak.apps.core",
    "onderdak.apps.geo",
    "onderdak.apps.accounts",
    "onderdak.apps.audit",
    "onderdak.apps.programme",
    "onderdak.apps.quotas",
    "onderdak.apps.region",
    "onderdak.apps.sites",
    "onderdak.apps.housing",
    "onderdak.apps.care",
    "onderdak.apps.finance",
    "onderdak.apps.communication",
    "axes",
]

MIDDLEWARE = [
    "onderdak.common.security.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "onderdak.common.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onderdak.common.api.ApiVersionMiddleware",
    "onderdak.common.api.ValidationErrorMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "onderdak.common.security.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "onderdak.common.idempotency.IdempotencyMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "onderdak.apps.accounts.backends.LockoutBackend",  # first: refuses every login while locked
    "django.contrib.auth.backends.ModelBackend",
]
#: Login lockout (django-axes): after this many failed logins the account is locked, and so is
#: the address (each counted on its own), for the cool-off period; a right password is refused
#: meanwhile. The same holds for API token creation (POST /api/v1/tokens).
AXES_FAILURE_LIMIT = env_int("ONDERDAK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ONDERDAK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "onderdak.apps.accounts.views.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
#: The address counted: behind a trusted proxy the client's (from X-Forwarded-For), else the peer.
AXES_CLIENT_IP_CALLABLE = "onderdak.common.security.client_address"
AXES_VERBOSE = False

ROOT_URLCONF = "onderdak.urls"
WSGI_APPLICATION = "onderdak.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onderdak.apps.core.context_processors.shell",
            ],
            # ``{% url %}`` with the reversed paths kept per process (issue 11's load).
            "builtins": ["onderdak.apps.core.templatetags.od_urls"],
        },
    },
]

DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'onderdak.sqlite3'}"
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # the embedded default database lives in var/
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", DEFAULT_DATABASE_URL),
        # Persistent connections (seconds; 0 = a new connection per request), checked before
        # reuse so a restarted database server costs one failed check, not a failed request.
        conn_max_age=env_int("ONDERDAK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite: write-ahead log (readers do not block the writer), wait for
    # the lock instead of failing at once, and take the write lock when a transaction begins
    # (a deferred transaction that reads first cannot upgrade and fails with "database is locked").
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("ONDERDAK_SQLITE_TIMEOUT_SECONDS", 30),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = Path(env_str("ONDERDAK_NODE_MODULES", str(PROJECT_DIR / "node_modules")))
#: Front-end packages from the npm registry, served locally (no CDN): prefix -> folder.
STATICFILES_DIRS = [
    ("vendor/utrecht-css", NODE_MODULES / "@utrecht/component-library-css/dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht/design-tokens/dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org/dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet/dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
#: Check every chart specification against the Vega-Lite schema before rendering (about 20 ms
#: a chart): on in development and in the tests, where a broken chart must fail; off in
#: production, which renders the tested chart builders' specifications (onderdak.common.charts).
CHART_VALIDATION = DEBUG

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "onderdak@localhost")

#: Background map tiles (XYZ template). Default: PDOK BRT achtergrondkaart (WMTS, Web Mercator).
MAP_TILE_URL = env_str(
    "ONDERDAK_MAP_TILE_URL",
    "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
)
MAP_TILE_ATTRIBUTION = env_str(
    "ONDERDAK_MAP_TILE_ATTRIBUTION", "Kaartgegevens &copy; Kadaster (BRT Achtergrondkaart, PDOK)"
)
_tile_origin = urlsplit(MAP_TILE_URL)
MAP_TILE_ORIGIN = f"{_tile_origin.scheme}://{_tile_origin.netloc}" if _tile_origin.netloc else ""

#: Content-Security-Policy sent with every response; map tiles are the only external origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"img-src 'self' data: {MAP_TILE_ORIGIN}".strip(),
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "onderdak.common.api.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "onderdak.common.api.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON only: HTML-form bodies turn a missing or empty field into False or None silently
    # (no API operation takes a file); another content type is a 415
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_VERSION": "1.0.0",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Onderdak API",
    "DESCRIPTION": (
        "Onderdak REST API (v1). Follows the NL API Design Rules where they apply: resources in "
        "plural nouns, no trailing slashes, errors as application/problem+json, an API-Version "
        "header on every response. Request bodies are JSON; text never contains NUL characters "
        "(U+0000: a 400 for every text field). Reference data: Bron: CBS (CC BY 4.0)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # choice sets used under more than one field name get one component each
    "ENUM_NAME_OVERRIDES": {
        "TrackEnum": "onderdak.apps.programme.models.Track",
        "TrackStatusEnum": "onderdak.apps.programme.models.TrackStatus",
        "TargetGroupEnum": "onderdak.common.vocabulary.TargetGroup",
        "KindEnum": "onderdak.apps.care.models.PartnerKind",
        "StatusEnum": "onderdak.apps.region.models.AgreementStatus",
        "StakeholderKindEnum": "onderdak.apps.communication.models.StakeholderKind",
        "MomentKindEnum": "onderdak.apps.communication.models.MomentKind",
        "MomentStatusEnum": "onderdak.apps.communication.models.MomentStatus",
        "CommunicationPlanStatusEnum": "onderdak.apps.communication.models.PlanStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "onderdak.common.idempotency.document_idempotency_key",
        # last: documents the error responses of every operation (it reads the headers above)
        "onderdak.common.schema.add_problem_responses",
    ],
}

#: Quota norms (parameters, not constants). Pace: green at or above the expected number (1/6 of
#: the corrected quota per completed month), amber from this share of it, red below.
QUOTA_PACE_AMBER_RATIO = float(env_str("ONDERDAK_QUOTA_PACE_AMBER_RATIO", "0.75"))
#: The province's supervision (art. 124 Gemeentewet) is no setting: each province's ladder is
#: dated data with its source in ``onderdak/data/law/supervision_ladders.csv``.

#: Flex homes (DOMAIN.md section 5): relocating costs about 30% of new build, preparing the new
#: site about half of that again; Diemen paid about 123,000 euro per unit incl. site (2022).
HOUSING_RELOCATION_SHARE = float(env_str("ONDERDAK_HOUSING_RELOCATION_SHARE", "0.30"))
HOUSING_SITE_PREPARATION_SHARE = float(env_str("ONDERDAK_HOUSING_SITE_PREPARATION_SHARE", "0.5"))
HOUSING_NEW_BUILD_COST_PER_UNIT = env_int("ONDERDAK_HOUSING_NEW_BUILD_COST_PER_UNIT", 123_000)

#: Civic integration norms (Wet inburgering 2021; parameters, check the local regulation).
#: Broad intake due this many weeks after a person is linked to the municipality; the personal
#: plan (PIP) this many weeks after DUO's notice, or after the BRP registration when later
#: (Besluit inburgering 2021 art. 5.3); the integration term (3 years) starts the day after the
#: first PIP (art. 11 Wi2021) and may be extended; financial relief ("ontzorgen") runs for the
#: first six months of the benefit; "due soon" warnings this many days ahead.
CARE_BROAD_INTAKE_WEEKS = env_int("ONDERDAK_CARE_BROAD_INTAKE_WEEKS", 10)
CARE_PIP_WEEKS = env_int("ONDERDAK_CARE_PIP_WEEKS", 10)
CARE_INTEGRATION_TERM_MONTHS = env_int("ONDERDAK_CARE_INTEGRATION_TERM_MONTHS", 36)
CARE_RELIEF_MONTHS = env_int("ONDERDAK_CARE_RELIEF_MONTHS", 6)
CARE_DUE_SOON_DAYS = env_int("ONDERDAK_CARE_DUE_SOON_DAYS", 30)
#: Months ahead shown in the demand-against-capacity view.
CARE_DEMAND_HORIZON_MONTHS = env_int("ONDERDAK_CARE_DEMAND_HORIZON_MONTHS", 6)
#: Contracts ending within this many months are flagged on the coverage page.
CARE_CONTRACT_WARNING_MONTHS = env_int("ONDERDAK_CARE_CONTRACT_WARNING_MONTHS", 6)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("ONDERDAK_LOG_LEVEL", "INFO")},
}
