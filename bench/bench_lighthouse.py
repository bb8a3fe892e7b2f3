"""Lighthouse on a phone (its default mobile emulation) for the main public pages.

Serves the demo as production does (production settings, static files collected and compressed,
gunicorn behind nginx with deploy/nginx-portal.conf, TLS with a self-signed certificate), then
runs Lighthouse (npm, pinned, installed on first use into .venv/lighthouse/ or $LIGHTHOUSE_DIR)
in headless Chromium for the home, grid, notice, publicity, feedback, search and lookup pages,
and prints the median of each category's score over the runs.

Target: >= 95 in performance, accessibility, best practices and SEO on every page. The
performance score depends on the machine's load (Lighthouse simulates a mid-range phone on a
slow 4G link from what it measures); the other three do not.

Skipped, with a message, without node/npm, Chromium or nginx.

    .venv/bin/python bench/bench_lighthouse.py [--runs 3] [--pages home,grid]
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import servers  # noqa: E402

LIGHTHOUSE_VERSION = "12.2.3"  # Lighthouse 13 needs Node 22
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGET = 95
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
LOC_RE = re.compile(r"<loc>([^<]+)</loc>")


def chromium():
    found = os.environ.get("CHROME_PATH") or next(
        (path for name in CHROMIUM_NAMES if (path := shutil.which(name))), None
    )
    return found if found and Path(found).exists() else None


def lighthouse_cli():
    """The Lighthouse command line, installed with npm (pinned) on first use."""
    directory = Path(os.environ.get("LIGHTHOUSE_DIR", ROOT / ".venv" / "lighthouse"))
    cli = directory / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {directory}…", flush=True)
        directory.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [shutil.which("npm"), "install", "--exact", "--no-audit", "--no-fund"]
            + ["--prefix", str(directory), f"lighthouse@{LIGHTHOUSE_VERSION}"],
            check=True,
        )
    return cli


def page_paths(https_port):
    """The seven pages: fixed addresses and, from the sitemap, a grid, a notice and a publicity."""
    _status, _headers, body = servers.https_get(https_port, "/sitemap.xml")
    paths = [re.sub(r"^https?://[^/]+", "", url) for url in LOC_RE.findall(body.decode())]

    def first(pattern):
        return next(path for path in paths if re.search(pattern, path))

    def is_grid(path):
        _status, _headers, html = servers.https_get(https_port, path)
        return b"page-grid" in html

    # Grids are the deepest pages of the area tree.
    areas = (path for path in paths if not re.match(r"^/(notices|publicity)/", path))
    deepest = sorted(areas, key=lambda path: -path.count("/"))
    return {
        "home": "/",
        "grid": next(path for path in deepest if is_grid(path)),
        "notice": first(r"^/notices/[^/]+/$"),
        "publicity": first(r"^/publicity/[^/]+/$"),
        "feedback": "/feedback/",
        "search": "/search/?q=%E7%BD%91%E6%A0%BC",  # 网格
        "lookup": "/grids/lookup/?q=%E6%98%8E%E5%8D%8E",  # 明华
    }


def run_lighthouse(cli, chrome, url, out_dir, name, run):
    """{category: score 0–100} of one Lighthouse run."""
    report = out_dir / f"{name}-{run}.json"
    subprocess.run(  # noqa: S603
        [shutil.which("node"), str(cli), url]
        + ["--quiet", "--output=json", f"--output-path={report}", f"--chrome-path={chrome}"]
        + ["--chrome-flags=--headless=new --no-sandbox --ignore-certificate-errors"]
        + ["--form-factor=mobile", f"--only-categories={','.join(CATEGORIES)}"],
        check=True,
        env={**os.environ, "CHROME_PATH": chrome},
        timeout=300,
    )
    data = json.loads(report.read_text())
    scores = {}
    for key in CATEGORIES:
        score = data["categories"][key]["score"]
        scores[key] = None if score is None else round(score * 100)
    lost = {
        audit["id"]: audit["score"]
        for audit in data["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    }
    return scores, lost


def table(results):
    names = [name.replace("best-practices", "best pr.") for name in CATEGORIES]
    lines = [f"  {'page':<10}" + "".join(f"{name:>15}" for name in names)]
    for page, scores in results.items():
        cells = []
        for key in CATEGORIES:
            values = [s[key] for s in scores if s[key] is not None]
            median = round(statistics.median(values)) if values else None
            mark = "" if median is not None and median >= TARGET else " ✗"
            cells.append(f"{'—' if median is None else median:>13}{mark:2}")
        lines.append(f"  {page:<10}" + "".join(cells))
    lines.append(f"  target    {'>= ' + str(TARGET):>15} in each (✗: below)")
    return "\n".join(lines)


def missing_tools():
    missing = [tool for tool in ("node", "npm") if not shutil.which(tool)]
    if not chromium():
        missing.append("chromium (or CHROME_PATH)")
    if not servers.nginx_available():
        missing.append("nginx")
    return missing


def serve_and_measure(cli, runs, only, reports):
    chrome = chromium()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-lighthouse-"))
    secret = "b" + "".join(chr(97 + (n * 11) % 26) for n in range(60))
    dev = servers.environment(var_dir, "portal.settings.dev", SECRET_KEY=secret)
    try:
        print("loading the demo…", flush=True)
        for args in (["migrate", "--noinput", "-v0"], ["setup_portal", "-v0"]):
            servers.manage(dev, *args)
        servers.manage(dev, "load_demo", "-v0")
        https_port = servers.free_port()
        production = servers.environment(
            var_dir,
            "portal.settings.production",
            SECRET_KEY=secret,
            ALLOWED_HOSTS="localhost",
            PORTAL_BASE_URL=f"https://localhost:{https_port}",
            RATE_LIMIT_CACHE="database",
            FEEDBACK_TRUSTED_PROXIES="1",
            LOG_FILE=var_dir / "portal.log",
            EMAIL_HOST="127.0.0.1",
        )
        servers.manage(production, "collectstatic", "--noinput", "-v0")
        servers.manage(production, "update_index", "-v0")
        with servers.portal_behind_nginx(production, var_dir, https_port=https_port):
            paths = page_paths(https_port)
            if only:
                paths = {name: path for name, path in paths.items() if name in only}
            results, lost = {}, {}
            for name, path in paths.items():
                url = f"https://localhost:{https_port}{path}"
                print(f"  {name}: {path}", flush=True)
                results[name], lost[name] = [], {}
                for run in range(runs):
                    scores, audits = run_lighthouse(cli, chrome, url, var_dir, name, run)
                    results[name].append(scores)
                    for audit, score in audits.items():
                        lost[name][audit] = min(score, lost[name].get(audit, 1))
            if reports:
                reports.mkdir(parents=True, exist_ok=True)
                for report in var_dir.glob("*.json"):
                    shutil.copy(report, reports / report.name)
        return results, lost
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--reports", type=Path, help="keep Lighthouse's JSON reports here")
    args = parser.parse_args()
    missing = missing_tools()
    if missing:
        print(f"skipped: Lighthouse needs {', '.join(missing)}")
        return
    try:
        cli = lighthouse_cli()
    except subprocess.CalledProcessError:
        print(f"skipped: npm could not install lighthouse@{LIGHTHOUSE_VERSION} (offline?)")
        return
    only = {name for name in args.pages.split(",") if name}
    results, lost = serve_and_measure(cli, args.runs, only, args.reports)
    print(f"Lighthouse {LIGHTHOUSE_VERSION}, phone emulation, medians of {args.runs}:")
    print(table(results))
    print("Audits not passed (lowest score over the runs):")
    for name in results:
        audits = ", ".join(f"{audit} ({score})" for audit, score in sorted(lost[name].items()))
        print(f"  {name}: {audits or '—'}")


if __name__ == "__main__":
    main()
