"""A cache in front (PORTAL_FRONTEND_CACHE_URLS) is sent a PURGE for a page's URL when the page
is published or unpublished (wagtail.contrib.frontend_cache's HTTP backend); nothing is sent
where none is configured."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest

from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from portal.frontend_cache import frontend_caches

pytestmark = pytest.mark.django_db


class _Purges(BaseHTTPRequestHandler):
    def do_PURGE(self):
        self.server.purges.append((self.path, self.headers["Host"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def proxy():
    """A loopback HTTP server that records the PURGE requests it gets: (address, purges)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Purges)
    server.purges = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.purges
    server.shutdown()
    server.server_close()


@pytest.fixture
def draft(home_page):
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    page = NoticePageFactory(parent=index, slug="water", title="明日停水")
    page.unpublish()
    return page


def test_publishing_a_page_purges_its_url(proxy, draft, settings):
    """Publishing sends the proxy a PURGE of the page's path, with the site's host."""
    address, purges = proxy
    settings.WAGTAILFRONTENDCACHE = frontend_caches({"PORTAL_FRONTEND_CACHE_URLS": address})
    draft.save_revision().publish()
    assert purges == [("/notices/water/", urlsplit(draft.full_url).netloc)]


def test_unpublishing_a_page_purges_its_url(proxy, draft, settings):
    """Unpublishing purges the page too, so the proxy stops serving it."""
    address, purges = proxy
    draft.save_revision().publish()
    settings.WAGTAILFRONTENDCACHE = frontend_caches({"PORTAL_FRONTEND_CACHE_URLS": address})
    draft.refresh_from_db()
    draft.unpublish()
    assert [path for path, _host in purges] == ["/notices/water/"]


def test_nothing_is_purged_without_a_configured_cache(proxy, draft, settings):
    """By default (no PORTAL_FRONTEND_CACHE_URLS) a publish sends no request anywhere."""
    _address, purges = proxy
    assert settings.WAGTAILFRONTENDCACHE == {}
    draft.save_revision().publish()
    assert purges == []


def test_each_listed_cache_gets_an_http_backend():
    """Addresses separated by commas or spaces each become one HTTP backend."""
    caches = frontend_caches(
        {"PORTAL_FRONTEND_CACHE_URLS": "http://10.0.0.5:6081, https://cdn.example"}
    )
    assert [c["LOCATION"] for c in caches.values()] == [
        "http://10.0.0.5:6081",
        "https://cdn.example",
    ]
    assert {c["BACKEND"] for c in caches.values()} == {"portal.frontend_purge.PurgeBackend"}
    assert {c["TIMEOUT"] for c in caches.values()} == {2.0}


def test_an_address_that_is_not_http_stops_the_start():
    """A value that is not an http(s) address is refused with a sentence naming it."""
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="ftp://proxy"):
        frontend_caches({"PORTAL_FRONTEND_CACHE_URLS": "ftp://proxy"})


@pytest.fixture
def silent_proxy():
    """A loopback socket that accepts connections and never answers: its address."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.close()


def test_a_proxy_that_never_answers_does_not_hold_the_publish(
    silent_proxy, draft, settings, caplog
):
    """A cache that takes the connection and says nothing: the publish goes through after the
    purge's time limit (PORTAL_FRONTEND_CACHE_TIMEOUT), and the failure is logged."""
    settings.WAGTAILFRONTENDCACHE = frontend_caches(
        {"PORTAL_FRONTEND_CACHE_URLS": silent_proxy, "PORTAL_FRONTEND_CACHE_TIMEOUT": "0.5"}
    )
    started = time.monotonic()
    draft.save_revision().publish()
    assert time.monotonic() - started < 10
    draft.refresh_from_db()
    assert draft.live
    assert "Couldn't purge" in caplog.text and "/notices/water/" in caplog.text


def test_a_proxy_that_is_down_is_logged_and_the_page_published(draft, settings, caplog):
    """Nothing listens at the address: the page is published and the refusal logged."""
    free = socket.socket()
    free.bind(("127.0.0.1", 0))
    address = f"http://127.0.0.1:{free.getsockname()[1]}"
    free.close()
    settings.WAGTAILFRONTENDCACHE = frontend_caches({"PORTAL_FRONTEND_CACHE_URLS": address})
    draft.save_revision().publish()
    draft.refresh_from_db()
    assert draft.live
    assert "Couldn't purge" in caplog.text


@pytest.mark.parametrize("value", ["0", "-1", "abc", "61"])
def test_a_purge_time_limit_that_is_not_sensible_stops_the_start(value):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="PORTAL_FRONTEND_CACHE_TIMEOUT"):
        frontend_caches(
            {
                "PORTAL_FRONTEND_CACHE_URLS": "http://127.0.0.1:6081",
                "PORTAL_FRONTEND_CACHE_TIMEOUT": value,
            }
        )
