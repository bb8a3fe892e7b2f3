"""The frontend-cache backend the portal configures (portal.frontend_cache): Wagtail's HTTP
purge, with a time limit.

Wagtail's own HTTP backend calls `urlopen` without a timeout, so a proxy that accepts the
connection and never answers would hold the editor's publish for as long as the socket lives.
This backend sends the same request, `PURGE <path>` to the cache's address with the page's
Host, and gives up after TIMEOUT seconds (default 2), logging the failure like Wagtail does:
the page is published either way, and the proxy keeps the old copy no longer than its own
expiry (one second as deploy/nginx-portal.conf sets it up).
"""

import logging
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit, urlunsplit
from urllib.request import Request, urlopen

from wagtail.contrib.frontend_cache.backends.base import BaseBackend

logger = logging.getLogger("wagtail.frontendcache")

DEFAULT_TIMEOUT = 2.0


class PurgeBackend(BaseBackend):
    """`PURGE` a page's path at LOCATION (an http(s) address) within TIMEOUT seconds."""

    def __init__(self, params):
        params = dict(params)
        location = urlsplit(params.pop("LOCATION"))
        self.timeout = float(params.pop("TIMEOUT", DEFAULT_TIMEOUT))
        super().__init__(params)
        self.scheme, self.netloc = location.scheme, location.netloc

    def purge(self, url):
        page = urlsplit(url)
        host = page.hostname + (f":{page.port}" if page.port else "")
        target = urlunsplit((self.scheme, self.netloc, page.path, page.query, ""))
        request = Request(  # noqa: S310 - the scheme is checked when settings are read
            target, method="PURGE", headers={"Host": host, "User-Agent": "grid-portal-purge"}
        )
        try:
            with urlopen(request, timeout=self.timeout):  # noqa: S310
                pass
        except HTTPError as error:
            logger.error("Couldn't purge %r from HTTP cache: %d %s", url, error.code, error.reason)
        except (URLError, TimeoutError, OSError) as error:
            logger.error("Couldn't purge %r from HTTP cache: %s", url, error)
