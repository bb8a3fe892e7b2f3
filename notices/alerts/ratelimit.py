"""Rate limits of the subscribe and manage-link forms: per e-mail address and per IP address,
counted by portal.ratelimit, as the feedback form's are. With the cache down nothing is counted
and the request is let through."""

from django.conf import settings

from portal.ratelimit import client_ip, hit

PREFIX = "notices-rl"


def over_limit(request, address):
    """Count one request; True when the address or the IP is over its hourly limit."""
    if hit(PREFIX, "email", address.strip().lower()) > settings.NOTICES_ALERT_RATE_PER_EMAIL:
        return True
    return hit(PREFIX, "ip", client_ip(request)) > settings.NOTICES_ALERT_RATE_PER_IP
