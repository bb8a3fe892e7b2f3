"""Hourly counters for rate limits, shared by every worker process, and the client's address.

Counted in the "ratelimit" cache: Redis with REDIS_URL, otherwise a database table
(`portal.cache`). Values are hashed, so no contact detail or address is kept in the cache. With
the cache unreachable (Redis's errors are ignored, see settings) nothing can be counted and the
caller lets the request through: a resident is never refused because the cache is down.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

RATE_LIMIT_CACHE = "ratelimit"
WINDOW_SECONDS = 3600


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with FEEDBACK_TRUSTED_PROXIES = n > 0 the address
    the n-th proxy from the end of X-Forwarded-For saw (entries before it could be forged)."""
    proxies = settings.FEEDBACK_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def key(prefix, kind, value, window=WINDOW_SECONDS):
    """The counter's key for `value` in the current window, under a registered `prefix`."""
    bucket = int(time.time() // window)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"{prefix}:{kind}:{digest}:{window}:{bucket}"


def hit(prefix, kind, value, window=WINDOW_SECONDS):
    """Count one more for `value` in this window; the new count (0: the cache cannot count)."""
    store = caches[RATE_LIMIT_CACHE]
    name = key(prefix, kind, value, window)
    if store.add(name, 1, window + 60):
        return 1
    try:
        return store.incr(name) or 0
    except ValueError:  # expired between add and incr
        store.add(name, 1, window + 60)
        return 1


def count(prefix, kind, value, window=WINDOW_SECONDS):
    """How many were counted for `value` in this window so far."""
    return caches[RATE_LIMIT_CACHE].get(key(prefix, kind, value, window)) or 0
