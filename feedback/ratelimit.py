"""Rate limits on the feedback form: accepted submissions per hour per IP and per contact.

Counted in Django's cache, so every process shares them when the cache is Redis (REDIS_URL).
`FEEDBACK_RATE_LIMITS_ENABLED=0` turns them off (the bench does).
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

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


def contact_keys(phone, email):
    """Normalised phone digits and lower-cased e-mail, the resident's identities."""
    keys = []
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if digits:
        keys.append("phone:" + digits[-11:])
    if email:
        keys.append("email:" + email.strip().lower())
    return keys


def _key(kind, value):
    bucket = int(time.time() // WINDOW_SECONDS)
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no contact details in the cache
    return f"feedback-rl:{kind}:{digest}:{bucket}"


def _hit(key):
    """Count one more and return the new count in this window (0: the cache cannot count).

    With the shared cache unreachable (its errors are ignored, see settings) nothing can be
    counted, and the submission is let through: a resident's message is never refused because
    the cache is down.
    """
    if cache.add(key, 1, WINDOW_SECONDS + 60):
        return 1
    try:
        return cache.incr(key) or 0
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW_SECONDS + 60)
        return 1


def check_and_count(ip, phone="", email=""):
    """Count a submission; return "ip" or "contact" when it goes over a limit, else None."""
    if not settings.FEEDBACK_RATE_LIMITS_ENABLED:
        return None
    if _hit(_key("ip", ip)) > settings.FEEDBACK_RATE_LIMIT_PER_IP:
        return "ip"
    for value in contact_keys(phone, email):
        if _hit(_key("contact", value)) > settings.FEEDBACK_RATE_LIMIT_PER_CONTACT:
            return "contact"
    return None
