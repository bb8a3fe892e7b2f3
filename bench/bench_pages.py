"""Anonymous pages against the trivial view, with and without the whole-page cache.

Loads the demo into a fresh SQLite site, then in one process (Django's test client, the full
middleware stack, no HTTP) asks each URL for about a second, three times over, and prints each
page's rate as a share of the trivial view's rate measured in the same run (medians of 3):

- "page cache": as served (portal.anonymous_pages);
- "no page cache": PORTAL_PAGE_CACHE_SECONDS=0, every page rendered.

With nginx installed it then measures, over TLS with four kept-alive clients: the home page
through nginx (deploy/nginx-portal.conf keeps anonymous pages a second, then revalidates them
with the page cache), against nginx serving the same HTML from a file.

Targets: pages from the page cache >= 60% of the trivial view's rate; behind nginx within 2x of
nginx serving the same HTML from a file.

    .venv/bin/python bench/bench_pages.py [--seconds 1.0] [--runs 3]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402

TARGET_CACHED_SHARE = 0.60
TARGET_NGINX_FACTOR = 2.0
PAGES = ("home", "area", "grid", "notice", "form")


def measure(seconds, runs):
    """In the bench's own settings: {config: {name: [rate per run]}} and the URLs."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client, override_settings
    from wagtail.models import Page

    from feedback.models import FeedbackFormPage
    from grids.models import AreaPage, GridPage
    from notices.models import NoticePage

    urls = {
        "trivial": "/bench/trivial/",
        "home": "/",
        "area": AreaPage.objects.live().order_by("depth", "path").first().url,
        "grid": GridPage.objects.live().order_by("path").first().url,
        "notice": NoticePage.objects.live().order_by("path").first().url,
        "form": FeedbackFormPage.objects.live().first().url,
    }
    assert Page.objects.live().exists()
    configs = {"page cache": {}, "no page cache": {"PORTAL_PAGE_CACHE_SECONDS": 0}}
    rates = {config: {name: [] for name in urls} for config in configs}
    for _run in range(runs):
        for config, overrides in configs.items():
            with override_settings(**overrides):
                cache.clear()
                client = Client()
                for url in urls.values():
                    for _warm in range(3):
                        response = client.get(url)
                        assert response.status_code == 200, (url, response.status_code)
                # Short turns, one URL after another, so a change in the machine's load falls
                # on every URL alike.
                spent = dict.fromkeys(urls, 0.0)
                counts = dict.fromkeys(urls, 0)
                turns = max(1, int(seconds * 10))
                for _turn in range(turns):
                    for name, url in urls.items():
                        started = time.perf_counter()
                        while time.perf_counter() - started < 0.1:
                            client.get(url)
                            counts[name] += 1
                        spent[name] += time.perf_counter() - started
                for name in urls:
                    rates[config][name].append(counts[name] / spent[name])
    return {"rates": rates, "urls": urls}


def share_table(result):
    rates = result["rates"]
    lines = []
    for config, by_name in rates.items():
        trivial = by_name["trivial"]
        lines.append(f"  {config}: trivial view {statistics.median(trivial):7.0f}/s")
        for name in PAGES:
            shares = [page / base for page, base in zip(by_name[name], trivial, strict=True)]
            share = statistics.median(shares)
            target = f"target >= {TARGET_CACHED_SHARE:.0%}" if config == "page cache" else ""
            lines.append(
                f"    {name:<7} {statistics.median(by_name[name]):7.0f}/s"
                f"  {share:5.0%} of trivial  {target}"
            )
    return "\n".join(lines)


def _drive(port, path, seconds, clients=4):
    """Requests per second of `clients` threads, each on one kept-alive TLS connection."""
    import http.client
    import ssl
    import threading

    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    counts = [0] * clients
    stop = time.perf_counter() + seconds

    def work(n):
        conn = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", path, headers={"Host": "localhost"})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            counts[n] += 1
        conn.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - started)


def behind_nginx(env, var_dir, seconds, runs):
    """(rate of / through nginx and gunicorn, rate of the same HTML as a file from nginx),
    medians of `runs`."""
    with servers.portal_behind_nginx(env, var_dir, ready_headers={"Host": "localhost"}) as (
        http_port,
        https_port,
    ):
        servers.wait_for(http_port, "/", timeout=30)
        _status, _headers, html = servers.https_get(https_port, "/")
        (var_dir / "static" / "bench-home.html").write_bytes(html)
        pages, files = [], []
        for _run in range(runs):
            pages.append(_drive(https_port, "/", seconds))
            files.append(_drive(https_port, "/static/bench-home.html", seconds))
    return statistics.median(pages), statistics.median(files)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.seconds, args.runs)))
        return
    var_dir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    env = servers.environment(
        var_dir,
        settings="settings_pages",
        PYTHONPATH=f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    try:
        print("loading the demo…", flush=True)
        servers.manage(env, "migrate", "--noinput", "-v0")
        servers.manage(env, "setup_portal", "-v0")
        servers.manage(env, "load_demo", "-v0")
        servers.manage(env, "collectstatic", "--noinput", "-v0")
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                __file__,
                "--measure",
                "--seconds",
                str(args.seconds),
                "--runs",
                str(args.runs),
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(f"In one process, medians of {args.runs} (a page's rate / the trivial view's):")
        print(share_table(result))
        if servers.nginx_available():
            page, file = behind_nginx(env, var_dir, max(2.0, args.seconds * 2), args.runs)
            print(f"Behind nginx (TLS, 4 kept-alive clients), medians of {args.runs}:")
            print(f"  home page through gunicorn's page cache {page:7.0f}/s")
            print(f"  the same HTML as a file from nginx      {file:7.0f}/s")
            print(
                f"  nginx file / page: {file / page:4.1f}x  target <= {TARGET_NGINX_FACTOR:.0f}x"
                " (nginx keeps a page 1 s, then revalidates it)"
            )
        else:
            print("nginx is not installed: the comparison behind nginx is skipped")
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
