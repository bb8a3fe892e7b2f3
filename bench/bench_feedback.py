"""Feedback intake under load: 50 concurrent residents submit 2,000 forms through gunicorn.

Each submission is what a browser does: GET /feedback/ (CSRF cookie and token), POST the form,
follow the redirect to the confirmation page and read the ticket number there. Runs on SQLite,
then on PostgreSQL (database `bench_feedback`, dropped and re-created), and reports
submissions per second, p50/p99 latency of a whole submission, errors, and whether the cases in
the database equal the confirmations received.

Every resident gives a mobile, so with SMS on each submission also queues its SMS receipt
(console backend; the web process only queues, the worker sends). `--sms compare` runs each
backend with SMS off and on, alternately, and reports the difference.

Targets (2-core machine): no error, none lost, >= 60 submissions/s on SQLite; with SMS on,
intake within 10% of intake without it.

    .venv/bin/python bench/bench_feedback.py [--submissions 2000] [--clients 50] [--runs 1]
        [--only sqlite|postgresql] [--sms on|off|compare]
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/bench_feedback")
TARGET_RATE_SQLITE = 60
TARGET_SMS_SLOWDOWN = 0.10
THREADS = 1

SETUP = """
import django
django.setup()
from wagtail.models import Site
from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, GridWorkerFactory, box
lon, lat = ORIGIN
home = Site.objects.get(is_default_site=True).root_page.specific
community = AreaPageFactory(parent=home, title="明华社区", slug="minghua", code="110105001001",
                            level="community", boundary=box(lon, lat, lon + 0.09, lat + 0.01))
for n in range(9):
    GridPageFactory(parent=community, title=f"第{n + 1}网格", slug=f"grid-{n + 1}",
                    code=f"110105001001{n + 1:03d}",
                    boundary=box(lon + 0.01 * n, lat, lon + 0.01 * (n + 1), lat + 0.01),
                    primary_worker=GridWorkerFactory(email=f"worker{n}@example.org"))
ServiceCentreFactory(community=community, name="明华社区服务中心", is_default=True)
page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
home.add_child(instance=page)
page.save_revision().publish()
"""

COUNT = """
import django
django.setup()
from feedback.models import Delivery, Feedback, SmsDelivery
print(Feedback.objects.count(), Delivery.objects.count(), SmsDelivery.objects.count())
"""

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
GRID_RE = re.compile(r'<option value="(g\d+)"')
CATEGORY_RE = re.compile(r'name="category" value="(\d+)"')
TICKET_RE = re.compile(r'id="ticket-number">(\d{4}-\d{6})<')


def environment(var_dir, database_url, sms=True):
    env = {
        "SMS_ENABLED": "1" if sms else "0",
        "SMS_BACKEND": "console",
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "settings_feedback",
        "PYTHONPATH": f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "http://127.0.0.1:8000",
        "PORTAL_VAR_DIR": str(var_dir),
        "PORTAL_PRIVATE_ROOT": str(var_dir / "private"),
        "MEDIA_ROOT": str(var_dir / "media"),
        "FEEDBACK_RATE_LIMITS_ENABLED": "0",
        "RATE_LIMIT_CACHE": "database",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(args, env, **kwargs):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def recreate_postgres_database():
    import psycopg

    parsed = urllib.parse.urlsplit(PG_URL)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


class Resident:
    """One client: its own cookies, the three requests of a submission."""

    def __init__(self, port, number):
        self.port = port
        self.number = number
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _sep, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, response.getheader("Location"), data

    def submit(self, n):
        status, _location, html = self.request("GET", "/feedback/")
        if status != 200:
            raise RuntimeError(f"GET /feedback/ answered {status}")
        token = TOKEN_RE.search(html).group(1)
        grids = GRID_RE.findall(html)
        categories = CATEGORY_RE.findall(html)
        form = {
            "csrfmiddlewaretoken": token,
            "category": categories[n % len(categories)],
            "grid": grids[n % len(grids)] if n % 7 else "unknown",
            "place": f"{n % 20 + 1}号楼",
            "subject": f"压力测试第{n}条",
            "message": "楼道里的灯坏了，晚上看不清楼梯，请尽快修理。" * 3,
            "contact_name": "测试",
            "contact_phone": f"139{n:08d}",
            "contact_email": f"resident{n}@example.com" if n % 2 else "",
            "website": "",
        }
        body = urllib.parse.urlencode(form)
        status, location, html = self.request(
            "POST",
            "/feedback/",
            body=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302 or not location:
            raise RuntimeError(f"POST answered {status}: {html[:300]}")
        status, _location, html = self.request("GET", location)
        match = TICKET_RE.search(html)
        if status != 200 or match is None:
            raise RuntimeError(f"confirmation answered {status}")
        return match.group(1)


def drive(port, submissions, clients):
    counter = iter(range(submissions))
    lock = threading.Lock()
    latencies, tickets, errors = [], [], []

    def work(number):
        resident = Resident(port, number)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            started = time.perf_counter()
            try:
                ticket = resident.submit(n)
            except Exception as error:
                with lock:
                    errors.append(repr(error)[:200])
                continue
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                tickets.append(ticket)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, tickets, errors


def worker_cpu_seconds(master_pid):
    """CPU time (user + system) used so far by gunicorn's worker processes (Linux /proc)."""
    try:
        children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    except OSError:
        return float("nan")
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def bench(backend, submissions, clients, threads=THREADS, sms=True):
    var_dir = Path(tempfile.mkdtemp(prefix=f"bench-feedback-{backend}-"))
    database_url = ""
    if backend == "postgresql":
        recreate_postgres_database()
        database_url = PG_URL
    env = environment(var_dir, database_url, sms=sms)
    try:
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "setup_portal", "-v0"], env)
        run([PYTHON, "-c", SETUP], env)
        port = servers.free_port()
        with servers.gunicorn(
            env, port, "--threads", str(threads), workers=2, ready_path="/feedback/"
        ) as server:
            cpu_before = worker_cpu_seconds(server.pid)
            client_before = time.process_time()
            elapsed, latencies, tickets, errors = drive(port, submissions, clients)
            client_cpu = time.process_time() - client_before
            cpu = worker_cpu_seconds(server.pid) - cpu_before
        out = run([PYTHON, "-c", COUNT], env, capture_output=True, text=True).stdout.split()
        cases, deliveries, texts = int(out[0]), int(out[1]), int(out[2])
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    rate = len(tickets) / elapsed if elapsed else 0
    latencies.sort()
    p50 = statistics.median(latencies) if latencies else float("nan")
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] if latencies else 0
    return {
        "backend": backend,
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "errors": errors,
        "confirmations": len(tickets),
        "unique": len(set(tickets)),
        "cases": cases,
        "deliveries": deliveries,
        "texts": texts,
        "sms": sms,
        "cpu_ms": cpu * 1000 / max(len(tickets), 1),
        "client_cpu_ms": client_cpu * 1000 / max(len(tickets), 1),
        "load": os.getloadavg()[0],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1, help="runs per backend (median reported)")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    parser.add_argument("--threads", type=int, default=THREADS, help="gunicorn threads per worker")
    parser.add_argument("--sms", choices=["on", "off", "compare"], default="on")
    options = parser.parse_args()
    backends = [options.only] if options.only else ["sqlite", "postgresql"]
    modes = {"on": [True], "off": [False], "compare": [False, True]}[options.sms]
    failed = False
    for backend in backends:
        # Alternate the modes run by run, so a change in the machine's load hits both alike.
        results = [
            bench(backend, options.submissions, options.clients, options.threads, sms=mode)
            for _i in range(options.runs)
            for mode in modes
        ]
        for result in results:
            lost = result["cases"] != result["confirmations"] or result["unique"] != result["cases"]
            failed |= bool(result["errors"]) or lost
            print(
                f"{backend:<10} {result['rate']:6.1f} submissions/s"
                f"{f' (target >= {TARGET_RATE_SQLITE})' if backend == 'sqlite' else ''}"
                f"  p50 {result['p50'] * 1000:.0f} ms  p99 {result['p99'] * 1000:.0f} ms"
                f"  errors {len(result['errors'])} (target 0)"
                f"  cases {result['cases']} / confirmations {result['confirmations']}"
                f" (target equal){'  LOST' if lost else ''}"
                f"  deliveries queued {result['deliveries']}"
                f"  SMS {'on' if result['sms'] else 'off'}, queued {result['texts']}"
            )
            print(
                f"{'':<10} server CPU {result['cpu_ms']:.0f} ms per submission (3 requests),"
                f" client CPU {result['client_cpu_ms']:.0f} ms;"
                f" load average {result['load']:.1f} on {os.cpu_count()} cores"
            )
            for error in result["errors"][:5]:
                print("    ", error)
        if options.sms == "compare":
            off = statistics.median(r["rate"] for r in results if not r["sms"])
            on = statistics.median(r["rate"] for r in results if r["sms"])
            slowdown = (off - on) / off if off else float("nan")
            cpu_off = statistics.median(r["cpu_ms"] for r in results if not r["sms"])
            cpu_on = statistics.median(r["cpu_ms"] for r in results if r["sms"])
            print(
                f"{backend:<10} SMS off {off:.1f}/s, SMS on {on:.1f}/s (medians):"
                f" {slowdown:+.1%} slower with SMS (target <= {TARGET_SMS_SLOWDOWN:.0%});"
                f" server CPU {cpu_off:.1f} vs {cpu_on:.1f} ms per submission"
                " (the steadier figure on a shared machine)"
            )
        elif len(results) > 1:
            print(f"{backend:<10} median {statistics.median(r['rate'] for r in results):.1f}/s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
