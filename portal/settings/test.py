"""Settings for the test suite: fast hashing, throwaway media, e-mail into memory."""

import tempfile

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-not-for-any-real-site"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PORTAL_DEMO_LOGIN = True
PORTAL_REQUIRE_STAFF_MFA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="portal-test-static-")
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
POST_OFFICE = {
    **POST_OFFICE,  # noqa: F405
    "BACKENDS": {"default": "django.core.mail.backends.locmem.EmailBackend"},
}
if CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    # Each test run gets its own key space in the shared Redis.
    CACHES["default"]["KEY_PREFIX"] = f"portal-test-{os.getpid()}"  # noqa: F405
    CACHES["ratelimit"]["KEY_PREFIX"] = f"portal-test-{os.getpid()}"  # noqa: F405
else:
    # In one test process rate limits are counted in memory, emptied with the cache before each
    # test; tests/feedback/test_workers.py counts them in the database under two gunicorn workers.
    CACHES["ratelimit"] = {  # noqa: F405
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "ratelimit",
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    # Several suites may share one PostgreSQL server (CI, helpers in parallel worktrees).
    DATABASES["default"]["TEST"] = {"NAME": f"test_portal_{os.getpid()}"}  # noqa: F405
PORTAL_PRIVATE_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))  # noqa: F405
# A throwaway search index; tests that search point it at their own temporary directory.
PORTAL_SEARCH_INDEX_DIR = tempfile.mkdtemp(prefix="portal-test-search-")
PORTAL_SEARCH_LOCK_TIMEOUT = 5.0
