"""Open311 GeoReport v2 at community scale: 5,000 cases in 20 grids, 1,000 of them in the last
90 days (what a GET requests without dates returns, and the spec's cap).

Targets (median of 5 runs, embedded SQLite, one process):
  GET requests.json (1,000 cases) ......... 600 ms
  GET requests.xml (1,000 cases) .......... 800 ms
  GET requests.json, unchanged (304) ...... 600 ms  (built, then compared: cases have no version)
  GET services.xml, unchanged (304) ....... 20 ms   (checked before anything is built)
  GET requests/{id}.json .................. 30 ms
  POST requests.json (file a case) ........ 150 ms
Run with `make bench` (or `.venv/bin/python bench/bench_open311.py`).
"""

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

CASES, RECENT, GRIDS, RUNS = 5000, 1000, 20, 5
BASE = "/open311/v2/"
TARGETS_MS = {
    "GET requests.json (1,000 cases)": 600,
    "GET requests.xml (1,000 cases)": 800,
    "GET requests.json, unchanged (304)": 600,
    "GET services.xml, unchanged (304)": 20,
    "GET requests/{id}.json": 30,
    "POST requests.json (file a case)": 150,
}


def build():
    from bench.worlds import community_with_grids
    from feedback.enums import CaseState
    from feedback.factories import FeedbackCategoryFactory, ServiceCentreFactory
    from feedback.models import Feedback, Open311Key

    community, grids = community_with_grids(GRIDS)
    ServiceCentreFactory(community=community, is_default=True)
    category = FeedbackCategoryFactory(name="基准")
    now = timezone.now()
    step = dt.timedelta(days=89) / RECENT
    with transaction.atomic():
        for n in range(CASES):
            created = now - step * n if n < RECENT else now - dt.timedelta(days=91 + n % 300)
            case = Feedback(
                category=category,
                grid=grids[n % GRIDS],
                community=community,
                subject=f"诉求{n}",
                message="三号楼前的路灯坏了，联系电话13800001234。",
                public_consent=bool(n % 2),
                created_at=created,
            )
            case.save()
            if n % 3:
                Feedback.objects.filter(pk=case.pk).update(
                    state=CaseState.CLOSED,
                    closed_at=created + dt.timedelta(hours=30),
                    public_reply="已修复。",
                )
    key = Open311Key(owner="bench", rate_limit=10**6)
    raw = key.issue()
    key.save()
    return raw, category, case.ticket_number


def median_ms(fn):
    times = []
    for _i in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("setup_portal", verbosity=0)
    try:
        raw, category, ticket = build()
        client = Client()
        listed = client.get(BASE + "requests.json")
        assert listed.status_code == 200 and len(listed.json()) == RECENT, listed.content[:200]
        client.get(BASE + "services.xml")  # the site's settings are made once
        services_etag = client.get(BASE + "services.xml")["ETag"]
        post = {
            "api_key": raw,
            "service_code": str(category.pk),
            "lat": "39.925",
            "long": "116.4505",
            "description": "路灯不亮",
        }
        filed = client.post(BASE + "requests.json", post)
        assert filed.status_code == 200, filed.content[:300]
        results = {
            "GET requests.json (1,000 cases)": median_ms(
                lambda: client.get(BASE + "requests.json")
            ),
            "GET requests.xml (1,000 cases)": median_ms(lambda: client.get(BASE + "requests.xml")),
            "GET requests.json, unchanged (304)": median_ms(
                lambda: client.get(
                    BASE + "requests.json", headers={"if-none-match": listed["ETag"]}
                )
            ),
            "GET services.xml, unchanged (304)": median_ms(
                lambda: client.get(BASE + "services.xml", headers={"if-none-match": services_etag})
            ),
            "GET requests/{id}.json": median_ms(
                lambda: client.get(f"{BASE}requests/{ticket}.json")
            ),
            "POST requests.json (file a case)": median_ms(
                lambda: client.post(BASE + "requests.json", post)
            ),
        }
        print(f"{CASES} cases in {GRIDS} grids ({RECENT} in the last 90 days), median of {RUNS}")
        for label, value in results.items():
            target = TARGETS_MS[label]
            verdict = "ok" if value <= target else "SLOWER THAN TARGET"
            print(f"  {label:<36} {value:8.1f} ms  (target {target} ms) {verdict}")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
