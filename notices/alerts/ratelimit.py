"""Rate limits of the subscribe and manage-link forms: per e-mail address and per IP address,
counted in the shared "ratelimit" cache like the feedback form's (the same pattern as
feedback/intake/ratelimit.py, which notices may not import; both could move to portal). With the
cache down nothing is counted and the request is let through."""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

WINDOW_SECONDS = 3600


def client_ip(request):
    """REMOTE_ADDR, or behind FEEDBACK_TRUSTED_PROXIES proxies the address the last trusted
    proxy saw (as feedback.intake.ratelimit.client_ip)."""
    proxies = settings.FEEDBACK_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _hit(kind, value):
    store = caches["ratelimit"]
    bucket = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no address in the cache
    key = f"notices-rl:{kind}:{digest}:{bucket}"
    if store.add(key, 1, WINDOW_SECONDS + 60):
        return 1
    try:
        return store.incr(key) or 0
    except ValueError:
        store.add(key, 1, WINDOW_SECONDS + 60)
        return 1


def over_limit(request, address):
    """Count one request; True when the address or the IP is over its hourly limit."""
    if _hit("email", address.strip().lower()) > settings.NOTICES_ALERT_RATE_PER_EMAIL:
        return True
    return _hit("ip", client_ip(request)) > settings.NOTICES_ALERT_RATE_PER_IP
