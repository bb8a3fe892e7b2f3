"""Absolute links: always from the site's configured public address (PORTAL_BASE_URL), never
from the Host a request happened to carry, so the sitemap, feeds, APIs, QR codes, contact
cards and e-mails name the same address behind any proxy."""

from urllib.parse import urlsplit

from django.conf import settings


def base_url():
    """ "scheme://host[:port]" of the site, without a trailing slash."""
    return settings.PORTAL_BASE_URL.rstrip("/")


def absolute(url):
    """`url` made absolute on the public address; a URL that already has a scheme is kept."""
    if not url:
        return base_url() + "/"
    if urlsplit(url).scheme:
        return url
    return base_url() + ("" if url.startswith("/") else "/") + url


def site_address():
    """(hostname, port) the Wagtail Site record needs for the public address."""
    parts = urlsplit(base_url())
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname, port
