"""Base settings: safe on their own (DEBUG off, secrets and hosts only from the environment)."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal.frontend_cache import frontend_caches
from portal.search.config import search_backends
from portal.storage_config import object_store

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Everything the embedded default writes (database, media, search index) lives under var/.
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    """Read a yes/no switch from the environment; anything but yes or no stops the start."""
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value not in {"1", "true", "yes", "on", "0", "false", "no", "off"}:
        raise ImproperlyConfigured(
            f"{name} must be true or false (1/0, yes/no, on/off), not {value!r}."
        )
    return value in {"1", "true", "yes", "on"}


def env_int(name, default, minimum=None, maximum=None):
    """Read a whole number from the environment; a bad one stops the start with a sentence."""
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    too_small = minimum is not None and number is not None and number < minimum
    too_large = maximum is not None and number is not None and number > maximum
    if number is None or too_small or too_large:
        if minimum is not None and maximum is not None:
            limits = f" from {minimum} to {maximum}"
        elif minimum is not None:
            limits = f" of at least {minimum}"
        else:
            limits = ""
        raise ImproperlyConfigured(f"{name} must be a whole number{limits}, not {value!r}.")
    return number


def env_list(name, default=""):
    """Read a comma-separated list from the environment."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def public_base_url(value, bind="127.0.0.1:8000"):
    """The site's public address "scheme://host[:port]", from PORTAL_BASE_URL or, without it,
    from gunicorn's BIND (0.0.0.0 and [::] become 127.0.0.1); a path or query is refused."""
    from urllib.parse import urlsplit

    value = value.strip().rstrip("/")
    if not value:
        host, _sep, port = bind.strip().rpartition(":")
        if host in ("", "0.0.0.0", "[::]"):  # noqa: S104 (read, not bound)
            host = "127.0.0.1"
        value = f"http://{host}:{port}" if port.isdigit() else "http://127.0.0.1:8000"
    parts = urlsplit(value)
    try:
        port_ok = parts.port is None or parts.port > 0
    except ValueError:  # a port that is not a number, or out of range
        port_ok = False
    usable = parts.scheme in ("http", "https") and parts.hostname and port_ok
    if not usable or parts.path or parts.query or parts.fragment or parts.username:
        raise ImproperlyConfigured(
            "PORTAL_BASE_URL must be the site's public address, scheme and host only, e.g. "
            f"https://grid.example.gov.cn, not {value!r}."
        )
    return value


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Our apps first, so their templates override those of the libraries.
    "portal",
    "portal.search",
    "home",
    "grids",
    "notices",
    "feedback",
    "fieldwork",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "post_office",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "portal.request_log.RequestIdMiddleware",
    "portal.versions.VersionsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.csp.ContentSecurityPolicyMiddleware",
    # Outside everything that writes the body; public pages only (portal/compression.py).
    "portal.compression.GZipPublicPagesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Kept pages for visitors without a session, before the work such a page does not need.
    "portal.anonymous_pages.EarlyAnonymousPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.mfa.RequireStaffMFAMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.care_mode.CareModeMiddleware",
    "portal.anonymous_pages.AnonymousPageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "portal.context_processors.portal",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL, otherwise the embedded SQLite under var/.
# WAL lets readers go on while one writer writes; IMMEDIATE transactions take the write lock
# at BEGIN, so two writers queue on the busy timeout instead of failing with "database is locked".
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
            },
            # Kept open between requests: closing the last connection checkpoints the WAL.
            "CONN_MAX_AGE": 60,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis from REDIS_URL (shared by every process). Without it, the page and data cache is
# each process's memory and the rate limits (the "ratelimit" alias, and allauth's login throttle
# through the default alias) are counted in a database table every worker shares.
REDIS_URL = os.environ.get("REDIS_URL", "")
# Production must name its shared store: REDIS_URL, or RATE_LIMIT_CACHE=database.
RATE_LIMIT_CACHE = os.environ.get("RATE_LIMIT_CACHE", "").strip().lower()
RATE_LIMIT_CACHE_TABLE = "portal_rate_limits"


def redis_cache(url, key_prefix="portal"):
    """The cache settings for Redis at `url`.

    The cache only saves work. With Redis unreachable, reads miss and writes are dropped (each
    logged to "portal.cache"), so pages are still served and no resident's message is refused;
    the health check reports the failure.
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }


DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "portal.cache"


def embedded_caches():
    """The caches without Redis: memory per process, rate limits in the database (shared)."""
    return {
        "default": {
            "BACKEND": "portal.cache.RoutedCache",
            # allauth keeps its login and password-reset throttles under "allauth:rl:".
            "OPTIONS": {"DEFAULT": "local", "ROUTES": {"allauth:rl:": "ratelimit"}},
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {
            "BACKEND": "portal.cache.SharedDatabaseCache",
            "LOCATION": RATE_LIMIT_CACHE_TABLE,
            # Culling would drop live counters: expired rows go first, and there are few others.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000},
        },
    }


if REDIS_URL:
    _redis = redis_cache(REDIS_URL, os.environ.get("CACHE_KEY_PREFIX", "portal"))
    CACHES = {"default": _redis, "ratelimit": dict(_redis)}
else:
    CACHES = embedded_caches()

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = ["portal.accounts.PortalAuthenticationBackend"]

# Demo accounts (usernames starting "demo-") can sign in only where this is on: dev and test.
PORTAL_DEMO_LOGIN = False
# Anyone who can reach the admin must set up TOTP first (allauth has no setting that enforces it).
PORTAL_REQUIRE_STAFF_MFA = env_bool("PORTAL_REQUIRE_STAFF_MFA", True)

# django-allauth: login, logout, password reset and MFA for staff and residents.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "portal.accounts.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "signup": "20/m/ip",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("MFA_TOTP_ISSUER", "网格化服务管理门户")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.stylesheet.StylesheetFinder",
]
# The one stylesheet every page loads, css/site.css, is these parts joined (portal/stylesheet.py);
# a part given with a media query is wrapped in it.
PORTAL_STYLESHEET_PARTS = [
    "css/portal.css",
    "css/notices.css",
    "css/grids.css",
    "css/feedback.css",
    "css/cases.css",
    "css/search.css",
    "css/care.css",
    ("css/print.css", "print"),
]
PORTAL_STYLESHEET_DIR = VAR_DIR / "stylesheet"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded documents and original images ("default", PORTAL_PRIVATE_ROOT/uploads) and residents'
# photos ("private", PORTAL_PRIVATE_ROOT) are private: no URL; only image renditions live under
# MEDIA_ROOT. Who may fetch what: docs/privacy-files.md. With PORTAL_S3_BUCKET and
# PORTAL_S3_PRIVATE_BUCKET all three live in an S3-compatible object store (docs/scaling.md).
STORAGES = {
    "default": {"BACKEND": "portal.storage.UploadStorage"},
    "private": {"BACKEND": "portal.storage.PrivateFileStorage"},
    "renditions": {"BACKEND": "portal.storage.RenditionStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
_object_storages, PORTAL_PUBLIC_FILES_ORIGIN = object_store(os.environ)
STORAGES.update(_object_storages)
# nginx in front serves private files after the portal's check: the internal location (e.g.
# "/_private/") that maps to PORTAL_PRIVATE_ROOT (deploy/nginx-portal.conf). Empty: the portal
# streams them itself (always so from an object store).
PORTAL_PRIVATE_ACCEL_PREFIX = os.environ.get("PORTAL_PRIVATE_ACCEL_PREFIX", "").strip()
if PORTAL_PRIVATE_ACCEL_PREFIX:
    if not (PORTAL_PRIVATE_ACCEL_PREFIX[:1] == "/" == PORTAL_PRIVATE_ACCEL_PREFIX[-1:]):
        raise ImproperlyConfigured(
            "PORTAL_PRIVATE_ACCEL_PREFIX must be a path that starts and ends with '/', e.g. "
            "/_private/ (see docs/deployment.md)."
        )
    # Wagtail's document serve view hands local files to nginx the same way.
    SENDFILE_BACKEND = "portal.private_files"
# A proxy or CDN in front that keeps pages (docs/caching.md): publishing or unpublishing a page
# sends it a PURGE for the page's URLs (wagtail.contrib.frontend_cache). Nothing by default.
WAGTAILFRONTENDCACHE = frontend_caches(os.environ)

# E-mail goes through the durable outbox (django-post-office): send_mail() queues a row in the
# same transaction as the data, and the worker (`manage.py run_worker`) sends it with retries.
# portal.mail gives every message an HTML alternative and a Date in TIME_ZONE at sending.
EMAIL_BACKEND = "portal.mail.OutboxBackend"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "noreply@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
POST_OFFICE = {
    "BACKENDS": {"default": "portal.mail.SMTPBackend"},
    "DEFAULT_PRIORITY": "medium",
    # Retries start after a minute and grow (feedback.intake.delivery.RETRY_SCHEDULE_MINUTES).
    "MAX_RETRIES": 9,
    "RETRY_INTERVAL": timedelta(minutes=1),
    # One e-mail per batch, marked sent as soon as it is sent: a worker killed mid-run
    # re-sends at most the e-mail in flight (post_office marks a batch only at its end).
    "BATCH_SIZE": 1,
    "THREADS_PER_PROCESS": 1,
    "MESSAGE_ID_ENABLED": True,
    "LOG_LEVEL": 2,
}

# Text messages (短信) to residents: portal/sms/. The backend is console (development),
# locmem (tests), aliyun or tencent; the provider sends only approved templates under the
# approved signature, so each template name below needs the provider's template id.
_SMS_BACKENDS = {
    "console": "portal.sms.backends.ConsoleBackend",
    "locmem": "portal.sms.backends.LocmemBackend",
    "aliyun": "portal.sms.backends.AliyunBackend",
    "tencent": "portal.sms.backends.TencentBackend",
}
SMS_BACKEND = _SMS_BACKENDS.get(os.environ.get("SMS_BACKEND", "console"), _SMS_BACKENDS["console"])
SMS_ENABLED = env_bool("SMS_ENABLED", True)
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "网格服务")
SMS_TEMPLATE_IDS = {
    name: os.environ.get(f"SMS_TEMPLATE_{name.upper()}", "")
    for name in ("receipt", "reply", "closed", "follow_up", "login_code")
}
SMS_TIMEOUT = 10
SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID", "")
SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET", "")
SMS_ALIYUN_REGION = os.environ.get("SMS_ALIYUN_REGION", "cn-hangzhou")
SMS_ALIYUN_ENDPOINT = os.environ.get("SMS_ALIYUN_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
SMS_TENCENT_SECRET_ID = os.environ.get("SMS_TENCENT_SECRET_ID", "")
SMS_TENCENT_SECRET_KEY = os.environ.get("SMS_TENCENT_SECRET_KEY", "")
SMS_TENCENT_SDK_APP_ID = os.environ.get("SMS_TENCENT_SDK_APP_ID", "")
SMS_TENCENT_REGION = os.environ.get("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = os.environ.get("SMS_TENCENT_ENDPOINT", "https://sms.tencentcloudapi.com/")

# The worker process runs these management commands periodically (seconds between runs).
# A job that fails is logged and tried again at its next turn; it never stops the others.
PORTAL_WORKER_JOBS = [
    # The lock keeps two senders from sending one e-mail twice; it lives with the site's data.
    {"command": "send_queued_mail", "every": 60, "args": ["--lockfile", str(VAR_DIR / "mail")]},
    {"command": "publish_scheduled", "every": 60},
    # Failed e-mails are retried on a growing schedule (over 24 hours) before they are failed.
    {"command": "retry_deliveries", "every": 60},
    # Queued text messages, each marked sent as soon as it is sent; retried like e-mail.
    {"command": "send_queued_sms", "every": 30},
    {"command": "end_publicity", "every": 300},
    {"command": "escalate_overdue_cases", "every": 600},
    {"command": "send_case_digest", "every": 3600},
    {"command": "apply_feedback_retention", "every": 3600},
    # Alerts by area (docs/alerts.md): new pages to immediate subscriptions and urgent notices
    # to all who want them; the daily digest is sent at its first run after its hour.
    {"command": "send_alerts", "every": 30},
    {"command": "send_alert_digest", "every": 600},
    # Fieldwork (docs/fieldwork.md): overdue handover slips, visits due again.
    {"command": "escalate_overdue_slips", "every": 600},
    {"command": "remind_visits", "every": 3600},
    # Last month's assessment of each community, once, unpublished (docs/assessment-and-reviews.md).
    {"command": "compute_assessments", "every": 3600},
]

WAGTAIL_SITE_NAME = os.environ.get("WAGTAIL_SITE_NAME", "网格化服务管理门户")
# The site's public address: every absolute link (sitemap, robots.txt, feeds, the APIs, QR codes,
# contact cards, e-mails) is made from it, never from the request's Host, and `setup_portal`
# writes its host and port into the Wagtail Site record. Production must set it; elsewhere it
# follows BIND (the address `make run` serves on).
PORTAL_BASE_URL = public_base_url(
    os.environ.get("PORTAL_BASE_URL", ""), os.environ.get("BIND", "127.0.0.1:8000")
)
WAGTAILADMIN_BASE_URL = PORTAL_BASE_URL
WAGTAILADMIN_LOGIN_URL = "account_login"
# Passwords and e-mail addresses are managed by allauth (with MFA), not by Wagtail's own forms.
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An approved workflow publishes on its own authority: approvers hold no publish permission.
WAGTAIL_FINISH_WORKFLOW_ACTION = "notices.publishing.publish_approved"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "heic"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "xlsx", "txt", "odt", "ods"]
WAGTAILIMAGES_RENDITION_STORAGE = "portal.storage.rendition_storage"  # STORAGES["renditions"]
# Documents always go through the serve view, whose before_serve_document hook (portal.files)
# answers 404 until a visible page uses the file; uploads are checked for personal data.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "notices.forms.CheckedDocumentForm"
# Search: the Whoosh + jieba index under var/ (portal.search), or OpenSearch/Elasticsearch with a
# Chinese analyzer when SEARCH_URL is set (docs/scaling.md).
PORTAL_SEARCH_INDEX_DIR = Path(os.environ.get("PORTAL_SEARCH_INDEX_DIR", VAR_DIR / "search_index"))
PORTAL_SEARCH_LOCK_TIMEOUT = 20.0
PORTAL_SEARCH_WORD_SOURCES = []
# Relevance ranking on whole posting lists with numpy (portal.search.backend.ranking), which reads
# whoosh-ng's internals; off, Whoosh's own matcher and collector rank and count (slower on broad
# queries, the same results). For a whoosh-ng the ranker does not know yet, or to compare.
PORTAL_SEARCH_ACCELERATOR = env_bool("PORTAL_SEARCH_ACCELERATOR", True)

# Keep the area or grid page an address finds in the cache, under the pages' and grids' data
# versions (grids.models.route_below): routing a known grid address then costs no query. Off:
# every address is looked up in the database (one query for a grid). Both route the same page
# (tests/grids/test_route_cache.py walks the demo tree both ways).
PORTAL_ROUTE_CACHE = env_bool("PORTAL_ROUTE_CACHE", True)
WAGTAILSEARCH_BACKENDS = search_backends(os.environ)
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# No request leaves the site by default: Wagtail's embed finders would call oEmbed providers.
WAGTAILEMBEDS_FINDERS = []

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (portal.csp): the public site runs only the site's own scripts and
# styles, with no inline script, style attribute or nonce (cached fragments could not carry a
# per-request nonce). The Wagtail admin needs inline scripts and gets PORTAL_ADMIN_CSP_DIRECTIVES.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
PORTAL_ADMIN_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],  # the page editor's preview panel frames the admin itself
    "form-action": ["'self'"],
}
if PORTAL_PUBLIC_FILES_ORIGIN:  # image renditions in the public bucket
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(PORTAL_PUBLIC_FILES_ORIGIN)
    PORTAL_ADMIN_CSP_DIRECTIVES["img-src"].append(PORTAL_PUBLIC_FILES_ORIGIN)
# Staff avatars are not fetched from Gravatar (the admin's img-src is the site itself).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Every line carries the id of the request it was logged in (portal.request_log). Lines go to
# standard error (the journal under systemd, gunicorn's error log with --capture-output) and,
# with LOG_FILE set, to that file too (reopened when logrotate moves it): errors of Django's
# request handling (the 500s) included.
LOG_FILE = os.environ.get("LOG_FILE", "").strip()
_log_handlers = ["console", *(["file"] if LOG_FILE else [])]
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "portal.request_log.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        },
        **(
            {
                "file": {
                    "class": "logging.handlers.WatchedFileHandler",
                    "filename": LOG_FILE,
                    "formatter": "plain",
                    "filters": ["request_id"],
                }
            }
            if LOG_FILE
            else {}
        ),
    },
    "root": {"handlers": _log_handlers, "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": _log_handlers, "level": "WARNING", "propagate": False},
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

PORTAL_CARE_MODE_COOKIE = "care_mode"
# Whole pages for anonymous visitors (portal.anonymous_pages): kept this many seconds in the
# cache at most (0: not kept; a publish serves the new page at once anyway), and browsers may
# keep them PORTAL_PAGE_CACHE_MAX_AGE seconds.
PORTAL_PAGE_CACHE_SECONDS = env_int("PORTAL_PAGE_CACHE_SECONDS", 300, minimum=0)
PORTAL_PAGE_CACHE_MAX_AGE = env_int("PORTAL_PAGE_CACHE_MAX_AGE", 60, minimum=0)
# ...and nginx in front keeps them this long before it asks again (X-Accel-Expires; 0: never).
PORTAL_PAGE_CACHE_PROXY_SECONDS = env_int("PORTAL_PAGE_CACHE_PROXY_SECONDS", 1, minimum=0)
PORTAL_NAME = _("网格化服务管理门户")

# Files only staff may open (residents' photos): outside MEDIA_ROOT, served by no URL.
PORTAL_PRIVATE_ROOT = Path(os.environ.get("PORTAL_PRIVATE_ROOT", VAR_DIR / "private"))
# Feedback form limits: submissions per hour per contact (phone or e-mail; without either, the
# address stands for the contact), and a generous ceiling per IP address, so a service centre
# helping many residents from one address is not locked out. Counted in the "ratelimit" cache.
FEEDBACK_RATE_LIMITS_ENABLED = env_bool("FEEDBACK_RATE_LIMITS_ENABLED", True)
FEEDBACK_RATE_LIMIT_PER_IP = int(os.environ.get("FEEDBACK_RATE_LIMIT_PER_IP", "60"))
FEEDBACK_RATE_LIMIT_PER_CONTACT = int(os.environ.get("FEEDBACK_RATE_LIMIT_PER_CONTACT", "5"))
# Behind n proxies that append to X-Forwarded-For, the client address is the n-th from the end.
FEEDBACK_TRUSTED_PROXIES = int(os.environ.get("FEEDBACK_TRUSTED_PROXIES", "0"))

# Alerts by area: the hour (local time) from which the daily digest goes out, and subscribe or
# manage-link requests allowed per hour per e-mail address and per IP address.
NOTICES_ALERT_DIGEST_HOUR = env_int("NOTICES_ALERT_DIGEST_HOUR", 7, minimum=0, maximum=23)
NOTICES_ALERT_RATE_PER_EMAIL = env_int("NOTICES_ALERT_RATE_PER_EMAIL", 5, minimum=1)
NOTICES_ALERT_RATE_PER_IP = env_int("NOTICES_ALERT_RATE_PER_IP", 30, minimum=1)

# Grids: overlaps and gaps up to this size (m²) are ignored by the tiling check; optional
# 天地图 base tiles under the SVG maps, shown only when both the key and the map approval
# number (审图号) are set.

GRIDS_TILING_TOLERANCE_M2 = float(os.environ.get("GRIDS_TILING_TOLERANCE_M2", "1"))
# import_grids refuses larger files (a parsed GeoJSON takes about 30 times its size in memory)
# and more boundary vertices than this in one file.
GRIDS_IMPORT_MAX_MB = env_int("GRIDS_IMPORT_MAX_MB", 20, minimum=1)
GRIDS_IMPORT_MAX_VERTICES = env_int("GRIDS_IMPORT_MAX_VERTICES", 1_000_000, minimum=1000)
GRIDS_TIANDITU_KEY = os.environ.get("TIANDITU_KEY", "")
GRIDS_MAP_APPROVAL_NUMBER = os.environ.get("MAP_APPROVAL_NUMBER", "")
# Case handling: follow-up after a poor rating (working days), retention of closed cases'
# contact details and photos (days), wrong tracking codes per IP and hour, anonymous grid-survey
# ratings per IP, grid and quarter.
FEEDBACK_FOLLOW_UP_WORKING_DAYS = int(os.environ.get("FEEDBACK_FOLLOW_UP_WORKING_DAYS", "15"))
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "365"))
FEEDBACK_TRACKING_FAILURES_PER_HOUR = int(
    os.environ.get("FEEDBACK_TRACKING_FAILURES_PER_HOUR", "10")
)
FEEDBACK_SURVEY_PER_IP = int(os.environ.get("FEEDBACK_SURVEY_PER_IP", "3"))
