"""The proxies or CDN that keep the portal's pages, to be told when a page changes.

PORTAL_FRONTEND_CACHE_URLS lists them (http(s) addresses, separated by commas or spaces); each
becomes a Wagtail frontend-cache backend (portal.frontend_purge: Wagtail's HTTP purge with a
time limit, PORTAL_FRONTEND_CACHE_TIMEOUT seconds, default 2), so publishing or unpublishing a
page sends a `PURGE <page path>` with the page's Host to each (wagtail.contrib.frontend_cache).
Nothing is configured by default: nginx as deploy/nginx-portal.conf sets it up keeps pages one
second and needs no purge. Read by portal.settings.base (a pure function of the environment).
See docs/caching.md.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

HTTP_BACKEND = "portal.frontend_purge.PurgeBackend"


def frontend_caches(environ):
    """WAGTAILFRONTENDCACHE for the addresses in PORTAL_FRONTEND_CACHE_URLS ({} without)."""
    value = (environ.get("PORTAL_FRONTEND_CACHE_URLS") or "").strip()
    timeout = _timeout(environ.get("PORTAL_FRONTEND_CACHE_TIMEOUT"))
    caches = {}
    for number, address in enumerate(re.split(r"[\s,]+", value) if value else [], start=1):
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                "PORTAL_FRONTEND_CACHE_URLS must list http(s) addresses of the caches in front, "
                f"e.g. http://127.0.0.1:6081, not {address!r} (see docs/caching.md)."
            )
        caches[f"cache{number}"] = {
            "BACKEND": HTTP_BACKEND,
            "LOCATION": address,
            "TIMEOUT": timeout,
        }
    return caches


def _timeout(value):
    """Seconds a purge may take (PORTAL_FRONTEND_CACHE_TIMEOUT; default 2)."""
    if value is None or not value.strip():
        return 2.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 0 < seconds <= 60:
        raise ImproperlyConfigured(
            "PORTAL_FRONTEND_CACHE_TIMEOUT must be a number of seconds above 0 and at most 60, "
            f"not {value!r} (see docs/caching.md)."
        )
    return seconds
