"""Production settings: everything from the environment; refuses to start without its secrets."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

for _name in ("SECRET_KEY", "ALLOWED_HOSTS"):
    if not os.environ.get(_name, "").strip():  # noqa: F405
        raise ImproperlyConfigured(
            f"{_name} must be set in the environment for production (see README.md, 'Production')."
        )

PORTAL_DEMO_LOGIN = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True


def _require_shared_rate_limit_store():
    """Rate limits must count across every worker: Redis (REDIS_URL), or the database table
    chosen explicitly with RATE_LIMIT_CACHE=database; never a store of one process."""
    if REDIS_URL or RATE_LIMIT_CACHE == "database":  # noqa: F405
        return
    raise ImproperlyConfigured(
        "Rate limits need a store every worker process shares: set REDIS_URL, or "
        "RATE_LIMIT_CACHE=database to count them in the database (see README.md, 'Production')."
    )


_require_shared_rate_limit_store()
