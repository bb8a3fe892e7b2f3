"""City scale: page sizes and CPU with thousands of grids, and the time to import them.

Loads the demo into a fresh SQLite site, then generates a synthetic city on top
(`manage.py generate_city`: subdistricts of communities of up to 100 grids, address rows,
notices), timing the import's wall clock and CPU. Then, in one process (Django's test client,
the full middleware stack, the whole-page cache off so every request renders), it asks each
public page that grows with the city and prints its HTML size and the median CPU per request
(warm: after a first request has filled the caches of maps and lists), beside the targets.

Targets, at 10,000 grids (500,000 address entries, 50,000 notices):
- no public page over 100 KB of HTML;
- the import of 10,000 grids under 2 minutes.

    .venv/bin/python bench/bench_city.py [--grids 10000] [--addresses 500000]
        [--notices 50000] [--runs 5] [--keep DIR]

On a small shared machine use smaller sizes; the sizes printed are the ones measured.
"""

import argparse
import json
import os
import resource
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

TARGET_PAGE_KB = 100
TARGET_IMPORT_SECONDS_AT_10000 = 120


def pages():
    """{name: url} of the pages that list or draw the city's grids."""
    from feedback.models import FeedbackFormPage
    from grids.citygen import CityShape, grid_codes
    from grids.models import AreaPage, GridPage
    from notices.models import NoticeIndexPage

    code = next(grid_codes(CityShape(1, 1, 1)))
    subdistrict = AreaPage.objects.get(code=code[:9])
    community = AreaPage.objects.get(code=code[:12])
    grid = GridPage.objects.get(code=code)
    form = FeedbackFormPage.objects.live().first().url
    return {
        "home": "/",
        "subdistrict": subdistrict.url,
        "community": community.url,
        "grid": grid.url,
        "form": form,
        "form, community": f"{form}?community={community.pk}",
        "statistics": "/statistics/",
        "statistics, community": f"/statistics/?community={community.pk}",
        "statistics, grid": f"/statistics/?grid={grid.pk}",
        "notices": NoticeIndexPage.objects.live().first().url,
    }


def measure(runs):
    """{name: {"bytes", "cpu_ms": [...], "cold_cpu_ms"}} for each page, in this process."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client, override_settings

    result = {}
    with override_settings(PORTAL_PAGE_CACHE_SECONDS=0):
        cache.clear()
        client = Client()
        for name, url in pages().items():
            started = time.process_time()
            response = client.get(url)
            cold = time.process_time() - started
            assert response.status_code == 200, (url, response.status_code)
            cpu = []
            for _run in range(runs):
                started = time.process_time()
                response = client.get(url)
                cpu.append((time.process_time() - started) * 1000)
            result[name] = {
                "url": url,
                "bytes": len(response.content),
                "cpu_ms": cpu,
                "cold_cpu_ms": cold * 1000,
            }
    return result


def report(result, grids, import_wall, import_cpu, generate_out):
    print(generate_out.strip())
    scaled = import_wall * 10_000 / grids
    print(
        f"Import of {grids} grids (generate_city with addresses, no notices, start-up included): "
        f"{import_wall:.1f} s wall, "
        f"{import_cpu:.1f} s CPU; at 10,000 grids about {scaled:.0f} s "
        f"(target < {TARGET_IMPORT_SECONDS_AT_10000} s)"
    )
    print(
        "Pages (HTML size, CPU per request: median warm, first cold); "
        f"target <= {TARGET_PAGE_KB} KB"
    )
    worst = 0
    for name, figures in result.items():
        kb = figures["bytes"] / 1024
        worst = max(worst, kb)
        flag = "" if kb <= TARGET_PAGE_KB else "  OVER"
        print(
            f"  {name:<22} {kb:7.1f} KB  {statistics.median(figures['cpu_ms']):7.1f} ms"
            f"  (cold {figures['cold_cpu_ms']:7.1f} ms){flag}"
        )
    print(f"Largest page: {worst:.1f} KB (target <= {TARGET_PAGE_KB} KB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, default=10_000)
    parser.add_argument("--addresses", type=int, default=500_000)
    parser.add_argument("--notices", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the site in this directory (default: a temporary one)")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.runs)))
        return
    var_dir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-city-"))
    var_dir.mkdir(parents=True, exist_ok=True)
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
        print(
            f"generating {args.grids} grids, {args.addresses} addresses, {args.notices} notices…",
            flush=True,
        )
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        # The import alone first (timed), then the notices.
        out = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "generate_city",
                "--grids",
                str(args.grids),
                "--addresses",
                str(args.addresses),
                "--notices",
                "0",
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        import_wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        import_cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        if args.notices:
            out += subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "manage.py",
                    "generate_city",
                    "--grids",
                    "0",
                    "--addresses",
                    "0",
                    "--notices",
                    str(args.notices),
                ],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                text=True,
            ).stdout.splitlines()[-1]
        measured = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--measure", "--runs", str(args.runs)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        ).stdout
        result = json.loads(measured.strip().splitlines()[-1])
        report(result, args.grids, import_wall, import_cpu, out)
    finally:
        if not args.keep:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
