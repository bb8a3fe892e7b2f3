"""Rate limits hold across processes: the embedded default (no REDIS_URL) under gunicorn with two
sync workers, on its own SQLite database file, counts every limit in a store both workers share.

Slow (a fresh database is migrated once for the module). The requests of each test are sent in
pairs at once, and each worker process is replaced after a few requests (--max-requests), so a
count kept in one process's memory would be lost; the access log shows that several processes
served each test's requests.
"""

import re
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests import servers

CENTRE_PHONE = "010-62345678"
PER_CONTACT = 5
PER_IP = 8
TRACKING_FAILURES = 10

SETUP = f"""
from django.contrib.auth import get_user_model
from wagtail.models import Site
from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, GridWorkerFactory, box
from portal.models import SiteSettings
lon, lat = ORIGIN
site = Site.objects.get(is_default_site=True)
home = site.root_page.specific
community = AreaPageFactory(parent=home, title="明华社区", slug="minghua", code="110105001001",
                            level="community", boundary=box(lon, lat, lon + 0.01, lat + 0.01))
GridPageFactory(parent=community, title="第1网格", slug="grid-1", code="110105001001001",
                boundary=box(lon, lat, lon + 0.01, lat + 0.01),
                primary_worker=GridWorkerFactory(email="worker@example.org"))
ServiceCentreFactory(community=community, name="明华社区服务中心", is_default=True)
page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
home.add_child(instance=page)
page.save_revision().publish()
settings = SiteSettings.for_site(site)
settings.phone = "{CENTRE_PHONE}"
settings.save()
for name in ("resident-li", "resident-wang"):
    get_user_model().objects.create_user(name, name + "@example.org", "right-password-123")
"""

TOKEN_RE = servers.TOKEN_RE
GRID_RE = re.compile(r'<option value="(g\d+)"')
CATEGORY_RE = re.compile(r'name="category" value="(\d+)"')


def _environment(var_dir):
    return servers.environment(
        var_dir,
        FEEDBACK_RATE_LIMITS_ENABLED="1",
        FEEDBACK_RATE_LIMIT_PER_CONTACT=PER_CONTACT,
        FEEDBACK_RATE_LIMIT_PER_IP=PER_IP,
        FEEDBACK_TRACKING_FAILURES_PER_HOUR=TRACKING_FAILURES,
        # Each test speaks from its own address, given in X-Forwarded-For.
        FEEDBACK_TRUSTED_PROXIES="1",
    )


class Browser(servers.Browser):
    """One resident's browser: its cookies and its (forwarded) address."""

    def submit_feedback(self, subject, phone, email=""):
        def fields(html):
            return {
                "category": CATEGORY_RE.search(html).group(1),
                "grid": GRID_RE.search(html).group(1),
                "place": "希望家园3号楼",
                "subject": subject,
                "message": "楼道里的灯坏了，晚上看不清楼梯，请尽快修理。",
                "contact_name": "王女士",
                "contact_phone": phone,
                "contact_email": email,
                "website": "",
            }

        status, html = self.request("GET", "/feedback/")
        assert status == 200, html[:500]
        token = TOKEN_RE.search(html).group(1)
        return self.request("POST", "/feedback/", {"csrfmiddlewaretoken": token, **fields(html)})


def _in_pairs(calls):
    """Run the calls two at a time (one per worker), in order; their results in order."""
    results = []
    with ThreadPoolExecutor(max_workers=2) as pool:
        for start in range(0, len(calls), 2):
            results.extend(pool.map(lambda call: call(), calls[start : start + 2]))
    return results


@pytest.fixture(scope="module")
def server():
    """Gunicorn with two sync workers serving a fresh embedded-default site; yields
    (port, access log path)."""
    var_dir = Path(tempfile.mkdtemp(prefix="portal-test-workers-"))
    env = _environment(var_dir)
    try:
        servers.manage(env, "migrate", "--noinput", "-v0", timeout=600)
        servers.run_python(env, SETUP)
        port, log = servers.free_port(), var_dir / "access.log"
        options = ["--worker-class", "sync", "--max-requests", "4", "--access-logfile", str(log)]
        options += ["--access-logformat", "%(p)s %(m)s %(U)s %(s)s"]
        with servers.gunicorn(env, port, *options, workers=2, ready_path="/feedback/"):
            yield port, log
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def _workers_that_served(log, method, path_prefix):
    """The worker processes the access log names for these requests."""
    pids = set()
    for line in log.read_text().splitlines():
        pid, logged_method, path, _status = line.split(" ", 3)
        if logged_method == method and path.startswith(path_prefix):
            pids.add(pid)
    return pids


def test_contact_limit_counts_across_workers(server):
    """The sixth submission with one phone in an hour is refused, whichever worker serves it;
    the refusal keeps what was typed and gives the service centre's phone number."""
    port, log = server
    browsers = [Browser(port, "203.0.113.10"), Browser(port, "203.0.113.10")]
    calls = [
        lambda n=n: browsers[n % 2].submit_feedback(f"路灯坏了第{n}次", "13800001234")
        for n in range(PER_CONTACT)
    ]
    assert [status for status, _html in _in_pairs(calls)] == [302] * PER_CONTACT
    status, html = browsers[0].submit_feedback("路灯还是坏的", "138-0000-1234")
    assert status == 429
    assert "这个联系方式一小时内提交的诉求已达上限" in html
    assert CENTRE_PHONE in html
    assert 'value="路灯还是坏的"' in html and "楼道里的灯坏了" in html
    assert len(_workers_that_served(log, "POST", "/feedback/")) > 1


def test_address_ceiling_counts_across_workers(server):
    """From one address, residents with their own phones get through up to the ceiling."""
    port, log = server
    browsers = [Browser(port, "203.0.113.20"), Browser(port, "203.0.113.20")]
    calls = [
        lambda n=n: browsers[n % 2].submit_feedback(f"第{n}位居民", f"1390000{n:04d}")
        for n in range(PER_IP + 1)
    ]
    statuses = [status for status, _html in _in_pairs(calls)]
    assert statuses.count(302) == PER_IP and statuses.count(429) == 1
    status, html = browsers[0].submit_feedback("又一位居民", "13911112222")
    assert status == 429 and "这个网络一小时内提交的诉求已达上限" in html
    assert len(_workers_that_served(log, "POST", "/feedback/")) > 1


def test_tracking_failures_count_across_workers(server):
    """After ten wrong tracking codes from one address, the eleventh look-up is refused."""
    port, log = server
    browsers = [Browser(port, "203.0.113.30"), Browser(port, "203.0.113.30")]
    calls = [
        lambda n=n: browsers[n % 2].request("GET", f"/feedback/track/WRONG{n:07d}/")
        for n in range(TRACKING_FAILURES)
    ]
    assert [status for status, _html in _in_pairs(calls)] == [404] * TRACKING_FAILURES
    status, html = browsers[0].request("GET", "/feedback/track/WRONG9999999/")
    assert status == 429 and "次数过多" in html
    assert len(_workers_that_served(log, "GET", "/feedback/track/WRONG")) > 1


def test_login_throttle_counts_across_workers(server):
    """After five wrong passwords for one account, even the right one is refused for a while."""
    port, log = server
    browsers = [Browser(port, "203.0.113.40"), Browser(port, "203.0.113.40")]
    calls = [
        lambda n=n: browsers[n % 2].post_form(
            "/accounts/login/", {"login": "resident-li", "password": f"wrong-{n}"}
        )[1]
        for n in range(5)
    ]
    assert [status for status, _html in _in_pairs(calls)] == [200] * 5
    _form, (status, html) = browsers[0].post_form(
        "/accounts/login/", {"login": "resident-li", "password": "right-password-123"}
    )
    assert status == 200 and "登录失败次数过多" in html
    assert len(_workers_that_served(log, "POST", "/accounts/login/")) > 1
    # Another account from the same address signs in as usual.
    _form, (status, _html) = Browser(port, "203.0.113.40").post_form(
        "/accounts/login/", {"login": "resident-wang", "password": "right-password-123"}
    )
    assert status == 302
