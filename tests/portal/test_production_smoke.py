"""The demo served as production serves it: production settings, static files collected the way
docs/deployment.md says, gunicorn behind nginx with deploy/nginx-portal.conf (TLS, static files,
media, gzip). Every sitemap URL and every image, stylesheet and script on those pages answers
200, and the health check says all is well.

Slow (the demo is loaded once for the module): marked `servers`, which `make test` leaves out and
.ci/run runs in a stage of its own; skipped without nginx (`apt-get install nginx`, which that
stage does)."""

import json
import re
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest

from tests import servers

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        not servers.nginx_available(), reason="nginx is not installed (apt-get install -y nginx)"
    ),
]

ASSET_RE = re.compile(r'(?:src|href)="(/(?:static|media)/[^"]+)"')
LOC_RE = re.compile(r"<loc>([^<]+)</loc>")


@pytest.fixture(scope="module")
def production():
    """(https port, http port, var dir) of the demo behind nginx, under production settings."""
    var_dir = Path(tempfile.mkdtemp(prefix="portal-test-production-"))
    secret = "p" + "".join(chr(97 + (n * 7) % 26) for n in range(60))
    dev = servers.environment(var_dir, "portal.settings.dev", SECRET_KEY=secret)
    production = servers.environment(
        var_dir,
        "portal.settings.production",
        SECRET_KEY=secret,
        ALLOWED_HOSTS="localhost",
        PORTAL_BASE_URL="https://localhost",
        RATE_LIMIT_CACHE="database",
        FEEDBACK_TRUSTED_PROXIES="1",
        LOG_FILE=var_dir / "portal.log",
        EMAIL_HOST="127.0.0.1",
    )
    try:
        for args in (["migrate", "--noinput", "-v0"], ["setup_portal", "-v0"], ["load_demo"]):
            servers.manage(dev, *args)
        # What docs/deployment.md says, under production settings.
        servers.manage(production, "collectstatic", "--noinput", "-v0")
        servers.manage(production, "update_index", "-v0")
        with servers.portal_behind_nginx(production, var_dir) as (http_port, https_port):
            yield https_port, http_port, var_dir
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def test_health_is_ok_behind_nginx(production):
    https_port, _http_port, _var = production
    status, headers, body = servers.https_get(https_port, "/healthz/")
    assert status == 200, body[:500]
    assert json.loads(body)["status"] == "ok"
    assert len(headers["x-request-id"]) == 32


def test_plain_http_is_sent_to_https(production):
    _https_port, http_port, _var = production
    status, headers, _body = servers.get(http_port, "/", headers={"Host": "localhost"})
    assert status == 301 and headers["location"] == "https://localhost/"


def test_every_sitemap_page_and_everything_it_shows_answers_200(production):
    https_port, _http_port, _var = production
    status, _headers, body = servers.https_get(https_port, "/sitemap.xml")
    assert status == 200
    paths = [urllib.parse.urlsplit(url).path for url in LOC_RE.findall(body.decode())]
    assert len(paths) > 10
    assets, failures = set(), []
    for path in paths:
        status, headers, body = servers.https_get(https_port, path)
        if status != 200:
            failures.append((path, status))
            continue
        assets.update(ASSET_RE.findall(body.decode()))
    images = {asset for asset in assets if asset.startswith("/media/")}
    assert images, "the demo's pages show no image"
    for asset in sorted(assets):
        status, _headers, _body = servers.https_get(https_port, asset)
        if status != 200:
            failures.append((asset, status))
    assert failures == []


def test_static_files_are_compressed_and_kept(production):
    https_port, _http_port, _var = production
    _status, _headers, body = servers.https_get(https_port, "/")
    stylesheet = next(a for a in ASSET_RE.findall(body.decode()) if a.endswith(".css"))
    status, headers, _body = servers.https_get(
        https_port, stylesheet, headers={"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("content-encoding") == "gzip"
    assert "immutable" in headers["cache-control"]


def test_pages_answer_conditional_gets_through_nginx(production):
    https_port, _http_port, _var = production
    servers.https_get(https_port, "/")
    status, headers, _body = servers.https_get(https_port, "/")
    assert status == 200 and headers["etag"] and "max-age" in headers["cache-control"]
    status, _headers, body = servers.https_get(
        https_port, "/", headers={"If-None-Match": headers["etag"]}
    )
    assert status == 304 and body == b""


def test_nginx_keeps_anonymous_pages_and_nothing_of_signed_in_visitors(production):
    """A page the portal marks with X-Accel-Expires is served by nginx itself; a request with a
    session passes by."""
    https_port, _http_port, _var = production
    statuses = set()
    for _ in range(5):
        _status, headers, _body = servers.https_get(https_port, "/")
        statuses.add(headers.get("x-cache-status"))
    assert "HIT" in statuses
    _status, headers, _body = servers.https_get(
        https_port, "/", headers={"Cookie": "sessionid=someone"}
    )
    assert headers.get("x-cache-status") == "BYPASS"
    for _ in range(3):  # a page with a form (its visitor's CSRF token) is never kept
        _status, headers, _body = servers.https_get(https_port, "/feedback/")
        assert headers.get("x-cache-status") != "HIT"


def test_private_files_are_not_served(production):
    https_port, _http_port, var_dir = production
    for path in ("/private/", "/media/../private/", "/uploads/"):
        status, _headers, _body = servers.https_get(https_port, path)
        assert status in (400, 404), path


def test_errors_are_logged_with_their_request_id(production):
    """A page that is not found is logged (django.request warns) with the id nginx gave it."""
    https_port, _http_port, var_dir = production
    status, headers, _body = servers.https_get(https_port, "/no-such-page-here/")
    assert status == 404
    log = (var_dir / "portal.log").read_text()
    assert f"[{headers['x-request-id']}] django.request: Not Found" in log
