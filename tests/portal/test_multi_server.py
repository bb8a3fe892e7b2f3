"""Two web servers on one PostgreSQL and one Redis, plus one worker, as docs/scaling.md sets
them up: what is done through server A is seen on server B at once.

Each server is its own gunicorn (production settings, its own search index directory) on its
own port; media and residents' private photos are on a volume both share. Needs DATABASE_URL
(PostgreSQL: a database of its own is made and dropped beside the one named) and REDIS_URL;
.ci/run's server stage gives both. Slow: marked `servers`.
"""

import email
import io
import os
import re
import shutil
import tempfile
import time
import urllib.parse
import uuid
from email.policy import default as default_policy
from pathlib import Path

import pytest

from tests import servers

pytestmark = pytest.mark.servers

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL", "")
if not DATABASE_URL.startswith("postgres") or not REDIS_URL:
    pytest.skip(
        "two servers need PostgreSQL (DATABASE_URL) and Redis (REDIS_URL)",
        allow_module_level=True,
    )

PER_CONTACT = 2
ADMIN_PASSWORD = "multi-server-admin-password"
NOTICE_TITLE = "多服务器测试：明日停水"

SETUP = f"""
from django.contrib.auth import get_user_model
from wagtail.models import Site
from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, GridWorkerFactory, box
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
lon, lat = ORIGIN
home = Site.objects.get(is_default_site=True).root_page.specific
community = AreaPageFactory(parent=home, title="明华社区", slug="minghua", code="110105001001",
                            level="community", boundary=box(lon, lat, lon + 0.01, lat + 0.01))
GridPageFactory(parent=community, title="第1网格", slug="grid-1", code="110105001001001",
                boundary=box(lon, lat, lon + 0.01, lat + 0.01),
                primary_worker=GridWorkerFactory(email="worker@example.org"))
ServiceCentreFactory(community=community, name="明华社区服务中心", is_default=True,
                     inbox_email="centre@example.org")
page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
home.add_child(instance=page)
page.save_revision().publish()
index = NoticeIndexPageFactory(parent=home, slug="notices", title="通知公告")
draft = NoticePageFactory(parent=index, title="{NOTICE_TITLE}", slug="water")
draft.unpublish()
get_user_model().objects.create_superuser("admin", "admin@example.org", "{ADMIN_PASSWORD}")
print(draft.pk)
"""

GRID_RE = re.compile(r'<option value="(g\d+)"')
CATEGORY_RE = re.compile(r'name="category" value="(\d+)"')
CODE_RE = re.compile(r'id="tracking-code">([^<]+)<')


class Inbox:
    """An SMTP server on loopback that keeps what it is sent."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((tuple(envelope.rcpt_tos), message))
        return "250 OK"


def _database_url(name):
    parts = urllib.parse.urlsplit(DATABASE_URL)
    return parts._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def site():
    """Servers A and B (ports), the worker's environment and the SMTP inbox."""
    import psycopg
    from aiosmtpd.controller import Controller

    name = f"portal_multi_{os.getpid()}"
    admin = _database_url("postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    shared = Path(tempfile.mkdtemp(prefix="portal-test-multi-"))
    smtp_port = servers.free_port()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    secret = uuid.uuid4().hex + uuid.uuid4().hex
    common = {
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        # One search index for every server: the database (docs/scaling.md).
        "PORTAL_SEARCH_BACKEND": "postgres",
        "DATABASE_URL": _database_url(name),
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"portal-multi-{os.getpid()}",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PORTAL_REQUIRE_STAFF_MFA": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": smtp_port,
        "FEEDBACK_TRUSTED_PROXIES": "1",
        "FEEDBACK_RATE_LIMIT_PER_CONTACT": PER_CONTACT,
    }

    def env(index_name):
        return servers.environment(
            shared,
            "portal.settings.production",
            PORTAL_SEARCH_INDEX_DIR=shared / index_name,
            **common,
        )

    env_a, env_b, env_worker = env("index-a"), env("index-b"), env("index-worker")
    try:
        servers.manage(env_a, "migrate", "--noinput", "-v0")
        servers.manage(env_a, "setup_portal", "-v0")
        draft_pk = int(servers.run_python(env_a, SETUP).strip().splitlines()[-1])
        servers.manage(env_a, "collectstatic", "--noinput", "-v0")
        for environment in (env_a, env_b, env_worker):
            servers.manage(environment, "update_index", "-v0")
        port_a, port_b = servers.free_port(), servers.free_port()
        with (
            servers.gunicorn(env_a, port_a, workers=1),
            servers.gunicorn(env_b, port_b, workers=1),
        ):
            yield {
                "a": port_a,
                "b": port_b,
                "worker_env": env_worker,
                "inbox": inbox,
                "draft": draft_pk,
                "env_b": env_b,
            }
    finally:
        smtp.stop()
        shutil.rmtree(shared, ignore_errors=True)
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _png():
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 60, 60)).save(out, "PNG")
    return out.getvalue()


def _multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for key, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{key}"'
        parts.append(f"--{boundary}\r\n{disposition}\r\n\r\n{value}\r\n".encode())
    for key, (filename, content, content_type) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _submit(browser, subject, phone, photo=None):
    """Send the feedback form as a browser does: (status, page or redirect target)."""
    import http.client

    status, html = browser.request("GET", "/feedback/")
    assert status == 200, html[:300]
    fields = {
        "csrfmiddlewaretoken": servers.TOKEN_RE.search(html).group(1),
        "category": CATEGORY_RE.search(html).group(1),
        "grid": GRID_RE.search(html).group(1),
        "place": "希望家园3号楼",
        "subject": subject,
        "message": "楼道里的灯坏了，晚上看不清楼梯，请尽快修理。",
        "contact_name": "王女士",
        "contact_phone": phone,
        "website": "",
    }
    files = {"photos": ("light.png", photo, "image/png")} if photo else {}
    body, content_type = _multipart(fields, files)
    conn = http.client.HTTPConnection("127.0.0.1", browser.port, timeout=60)
    headers = {
        "Content-Type": content_type,
        "X-Forwarded-For": browser.address,
        "Cookie": "; ".join(f"{k}={v}" for k, v in browser.cookies.items()),
        "Referer": f"http://127.0.0.1:{browser.port}/feedback/",
    }
    conn.request("POST", "/feedback/", body=body, headers=headers)
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _sep, rest = value.partition("=")
            browser.cookies[key.strip()] = rest.split(";", 1)[0]
    conn.close()
    return response.status, response.getheader("Location") or text


def _sign_in(port):
    browser = servers.Browser(port, "198.51.100.1")
    _form, (status, _html) = browser.post_form(
        "/accounts/login/", {"login": "admin", "password": ADMIN_PASSWORD}
    )
    assert status == 302
    return browser


def test_a_notice_published_through_a_is_on_b_at_once(site):
    reader = servers.Browser(site["b"], "198.51.100.2")
    for _ in range(2):  # B keeps the notice index page in its page cache
        status, html = reader.request("GET", "/notices/")
        assert status == 200 and NOTICE_TITLE not in html
    editor = _sign_in(site["a"])
    path = f"/admin/bulk/wagtailcore/page/publish/?id={site['draft']}"
    _form, (status, _html) = editor.post_form(path, {"id": str(site["draft"])})
    assert status == 302
    status, html = reader.request("GET", "/notices/")
    assert NOTICE_TITLE in html
    assert reader.request("GET", "/notices/water/")[0] == 200


def test_search_on_b_finds_what_was_published_on_a(site):
    backend = servers.run_python(
        site["env_b"],
        "from django.conf import settings\n"
        "print(settings.WAGTAILSEARCH_BACKENDS['default']['BACKEND'])",
    ).strip()
    assert backend == "portal.search.postgres"
    reader = servers.Browser(site["b"], "198.51.100.3")
    status, html = reader.request("GET", "/search/?q=" + urllib.parse.quote("停水"))
    # The hit's title is highlighted (明日<mark>停水</mark>): look for its link.
    assert status == 200 and 'href="/notices/water/"' in html


def test_feedback_sent_to_a_is_tracked_on_b_and_its_photo_served_on_b(site):
    resident = servers.Browser(site["a"], "198.51.100.4")
    status, target = _submit(resident, "楼道灯坏了", "13800000001", photo=_png())
    assert status == 302, target[:500]
    status, html = resident.request("GET", target)
    code = CODE_RE.search(html).group(1).strip()
    status, html = servers.Browser(site["b"], "198.51.100.5").request(
        "GET", f"/feedback/track/{code}/"
    )
    assert status == 200 and "楼道灯坏了" in html
    photo_pk = servers.run_python(
        site["env_b"],
        "from feedback.models import FeedbackPhoto\n"
        "print(FeedbackPhoto.objects.get(case__subject='楼道灯坏了').pk)",
    ).strip()
    staff = _sign_in(site["b"])
    status, headers, body = staff.request("GET", f"/admin/feedback/photos/{photo_pk}/", raw=True)
    assert status == 200 and headers["content-type"].startswith("image/")
    assert body[:4] in (b"\x89PNG", b"\xff\xd8\xff\xe0", b"\xff\xd8\xff\xe1", b"RIFF")


def test_rate_limits_count_across_both_servers(site):
    phone = "13900000009"
    for port in (site["a"], site["b"])[:PER_CONTACT]:
        status, _target = _submit(servers.Browser(port, "198.51.100.6"), "路灯坏了", phone)
        assert status == 302
    status, html = _submit(servers.Browser(site["a"], "198.51.100.6"), "路灯还是坏的", phone)
    assert status == 429 and "这个联系方式一小时内提交的诉求已达上限" in html
    status, html = _submit(servers.Browser(site["b"], "198.51.100.6"), "路灯还是坏的", phone)
    assert status == 429


def test_the_worker_sends_each_message_once(site):
    """Two runs of the worker (a restart) after cases sent through both servers: every queued
    message reaches the SMTP server exactly once."""
    _submit(servers.Browser(site["b"], "198.51.100.7"), "垃圾未清运", "13700000007")
    expected = int(
        servers.run_python(
            site["worker_env"],
            "from post_office.models import Email\nprint(Email.objects.count())",
        ).strip()
    )
    assert expected > 0
    for _run in range(2):
        servers.manage(site["worker_env"], "run_worker", "--once")
    deadline = time.time() + 30
    while len(site["inbox"].messages) < expected and time.time() < deadline:
        time.sleep(0.5)
    ids = [message["Message-ID"] for _rcpt, message in site["inbox"].messages]
    assert len(ids) == expected
    assert len(set(ids)) == len(ids)
