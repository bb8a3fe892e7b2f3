"""Settings for the test suite: fast hashing, throwaway media, e-mail into memory."""

import tempfile

from .base import *

SECRET_KEY = "test-only-secret-key-not-for-any-real-site"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PORTAL_DEMO_LOGIN = True
PORTAL_REQUIRE_STAFF_MFA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
PORTAL_STYLESHEET_DIR = tempfile.mkdtemp(prefix="portal-test-stylesheet-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
POST_OFFICE = {
    **POST_OFFICE,
    "BACKENDS": {"default": "portal.mail.LocmemBackend"},
}
SMS_BACKEND = "portal.sms.backends.LocmemBackend"
SMS_TEMPLATE_IDS = {name: f"TEST_{name.upper()}" for name in SMS_TEMPLATE_IDS}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # Each test run gets its own key space in the shared Redis.
    CACHES["default"]["KEY_PREFIX"] = f"portal-test-{os.getpid()}"
    CACHES["ratelimit"]["KEY_PREFIX"] = f"portal-test-{os.getpid()}"
else:
    # In one test process rate limits are counted in memory, emptied with the cache before each
    # test; tests/feedback/test_workers.py counts them in the database under two gunicorn workers.
    CACHES["ratelimit"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Several suites may share one PostgreSQL server (CI, helpers in parallel worktrees).
    DATABASES["default"]["TEST"] = {"NAME": f"test_portal_{os.getpid()}"}
PORTAL_PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))
# A throwaway search index; tests that search point it at their own temporary directory.
PORTAL_SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="portal-test-search-")
PORTAL_SEARCH_LOCK_TIMEOUT = 5.0
