"""CPU time and queries of one demo grid page rendered without the whole-page cache (issue 16).

Loads the demo into a fresh SQLite site (bench/settings_pages.py: the development settings
without DEBUG, memory cache per process), then in one process (Django's test client, the full
middleware stack, no HTTP) with `PORTAL_PAGE_CACHE_SECONDS = 0`, so the page is rendered each
time:

- warm: the other caches (fragments, maps, notices lists, statistics) filled; CPU time per request
  (`time.process_time`) over short turns that alternate the grid page and the trivial view
  (`/bench/trivial/`: same middleware, body "ok"), so a change in the machine's load falls on
  both alike; medians of `--runs`;
- cold: the grid page's first visit: the default cache emptied, then the home page visited (it
  builds what every page shows: the menu, the urgent banner, the site settings), then the grid
  page, none of whose own values (content, map, areas, worker cards, notices, statistics) is
  kept yet: what a visitor meets after a change to the grid; CPU per request and queries;
- cache emptied: the same without the home page in between (the site-wide values built too);
- new process: the same in a process just started, whose page type lookups (Django keeps
  them for the process's lifetime) are not made yet;
- queries of each (`CaptureQueriesContext`).

Target (issue 16): the grid page's CPU per request at most 1/20 of bakerydemo's home page, with at
most 15 queries cold (its first visit, and with the cache emptied). The issue measured bakerydemo's
home page at 62 ms CPU per request on its machine (2 cores, gunicorn), so the absolute target is 62
/ 20 = 3.1 ms. bakerydemo cannot be installed here (it is not on PyPI), and the absolute figure
moves with the machine's speed and load, so the bench also prints the ratio to the trivial view
measured side by side in the same run (the machine's noise cancels in it): the issue's grid page
took 10.4 ms where bakerydemo took 62, and on this machine the same code (commit 2b39456) measured
BASELINE_RATIO times the trivial view; the ratio target scales that by 3.1 / 10.4.

    .venv/bin/python bench/bench_grid_cpu.py [--requests 40] [--runs 5]
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

BAKERYDEMO_HOME_MS = 62.0
ISSUE_GRID_MS = 10.4
TARGET_MS = BAKERYDEMO_HOME_MS / 20
TARGET_COLD_QUERIES = 15
# The grid page's CPU over the trivial view's, measured here before the work on issue 16
# (commit 2b39456; 40.9, 42.1, 42.8 and 44.0 in four runs of medians of 5, side by side with
# the new code): the issue's 10.4 ms.
BASELINE_RATIO = 42.5
TARGET_RATIO = BASELINE_RATIO * TARGET_MS / ISSUE_GRID_MS if BASELINE_RATIO else None


def _cpu_per_request(client, url, count):
    started = time.process_time()
    for _ in range(count):
        response = client.get(url)
    spent = time.process_time() - started
    assert response.status_code == 200, (url, response.status_code)
    return spent / count * 1000


def measure(requests, runs):
    """In the bench's own settings: CPU per request (ms) and query counts."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from grids.models import GridPage

    grid_url = GridPage.objects.live().order_by("path").first().url
    trivial_url = "/bench/trivial/"
    result = {"url": grid_url, "grid": [], "trivial": [], "cold": [], "empty": [], "ratio": []}
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        client = Client()
        for _warm in range(3):
            client.get(grid_url)
            client.get(trivial_url)
        for _run in range(runs):
            # Short turns, one URL after the other.
            grid, trivial = [], []
            for _turn in range(4):
                grid.append(_cpu_per_request(client, grid_url, max(1, requests // 4)))
                trivial.append(_cpu_per_request(client, trivial_url, max(1, requests // 4)))
            result["grid"].append(statistics.median(grid))
            result["trivial"].append(statistics.median(trivial))
            result["ratio"].append(statistics.median(grid) / statistics.median(trivial))
            cold, empty = [], []
            for _ in range(max(3, requests // 8)):
                cache.clear()
                client.get("/")
                cold.append(_cpu_per_request(client, grid_url, 1))
                cache.clear()
                empty.append(_cpu_per_request(client, grid_url, 1))
            result["cold"].append(statistics.median(cold))
            result["empty"].append(statistics.median(empty))
        with CaptureQueriesContext(connection) as warm_queries:
            client.get(grid_url)
        with CaptureQueriesContext(connection) as trivial_queries:
            client.get(trivial_url)
        cache.clear()
        client.get("/")
        with CaptureQueriesContext(connection) as cold_queries:
            client.get(grid_url)
        cache.clear()
        with CaptureQueriesContext(connection) as empty_queries:
            client.get(grid_url)
    result["queries"] = {
        "warm": len(warm_queries),
        "cold": len(cold_queries),
        "empty": len(empty_queries),
        "trivial": len(trivial_queries),
    }
    result["cold_sql"] = [query["sql"][:160] for query in cold_queries.captured_queries]
    result["empty_sql"] = [query["sql"][:160] for query in empty_queries.captured_queries]
    return result


def measure_fresh():
    """A new server process, every cache empty: the grid page's queries, and how many of them
    are Django's page type lookups (kept in the process for its lifetime)."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from grids.models import GridPage

    grid_url = GridPage.objects.live().order_by("path").first().url
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()  # as in a new process: the URL above looked one up
    cache.clear()
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as seen:
        assert Client().get(grid_url).status_code == 200
    sql = [query["sql"] for query in seen.captured_queries]
    return {"queries": len(sql), "content_types": sum('"django_content_type"' in q for q in sql)}


def report(result, runs, show_sql=False):
    median = statistics.median
    grid, trivial, cold = median(result["grid"]), median(result["trivial"]), median(result["cold"])
    empty = median(result["empty"])
    ratio = median(result["ratio"])
    queries = result["queries"]
    lines = [
        f"Grid page {result['url']} without the page cache, medians of {runs} runs:",
        f"  trivial view    {trivial:6.2f} ms CPU/request   {queries['trivial']} queries",
        f"  grid page warm  {grid:6.2f} ms CPU/request   {queries['warm']} queries"
        f"   target <= {TARGET_MS:.1f} ms (bakerydemo home {BAKERYDEMO_HOME_MS:.0f} ms / 20)",
        f"  grid page cold  {cold:6.2f} ms CPU/request   {queries['cold']} queries"
        f"   target <= {TARGET_COLD_QUERIES} queries (its first visit)",
        f"  cache emptied   {empty:6.2f} ms CPU/request   {queries['empty']} queries"
        f"   target <= {TARGET_COLD_QUERIES} queries (the site's menu, banner and settings too)",
        f"  new process     {result['fresh']['queries']} queries, of which"
        f" {result['fresh']['content_types']} look a page type up (once per process)",
        f"  grid / trivial  {ratio:6.1f}x"
        + (
            f"   target <= {TARGET_RATIO:.1f}x ({BASELINE_RATIO:.1f}x before, scaled by"
            f" {TARGET_MS:.1f} / {ISSUE_GRID_MS})"
            if TARGET_RATIO
            else ""
        ),
    ]
    if show_sql:
        lines += ["  cold queries:", *(f"    {sql}" for sql in result["cold_sql"])]
        lines += ["  cache emptied, queries:", *(f"    {sql}" for sql in result["empty_sql"])]
    return "\n".join(lines)


def _in_new_process(env, *args):
    """Run this script with `args` in a new process on the bench's site: its JSON answer."""
    out = subprocess.run(  # noqa: S603
        [sys.executable, __file__, *args],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sql", action="store_true", help="list the cold request's queries")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--fresh", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--keep", type=Path, help="load the demo into this directory once, and keep it"
    )
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests, args.runs)))
        return
    if args.fresh:
        print(json.dumps(measure_fresh()))
        return
    var_dir = args.keep or Path(tempfile.mkdtemp(prefix="bench-grid-cpu-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    env = servers.environment(
        var_dir,
        settings="settings_pages",
        PYTHONPATH=f"{ROOT / 'bench'}{os.pathsep}{ROOT}",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    try:
        if not (var_dir / "demo-loaded").exists():
            print("loading the demo…", flush=True)
            servers.manage(env, "migrate", "--noinput", "-v0")
            servers.manage(env, "setup_portal", "-v0")
            servers.manage(env, "load_demo", "-v0")
            servers.manage(env, "collectstatic", "--noinput", "-v0")
            (var_dir / "demo-loaded").touch()
        result = _in_new_process(
            env, "--measure", "--requests", str(args.requests), "--runs", str(args.runs)
        )
        result["fresh"] = _in_new_process(env, "--fresh")
        print(report(result, args.runs, show_sql=args.sql))
    finally:
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
