"""Case handling at community scale: the public statistics page, the staff inbox and the
escalation job over 5,000 cases in 20 grids (a large community's year).

Targets (median of 5 runs, embedded SQLite, one process):
  statistics page (all grids) ........ 800 ms
  statistics page (one grid) ......... 150 ms
  staff inbox, centre staff .......... 300 ms
  staff inbox CSV export (5,000) ..... 3000 ms
  escalation job, nothing to do ..... 100 ms
Run with `make bench` (or `.venv/bin/python bench/bench_cases.py`).
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

CASES, GRIDS, RUNS = 5000, 20, 5
TARGETS_MS = {
    "statistics page (all grids)": 800,
    "statistics page (one grid)": 150,
    "staff inbox, centre staff": 300,
    "staff inbox CSV export (5,000)": 3000,
    "escalation job, nothing to do": 100,
}


def build():
    from bench.worlds import community_with_grids
    from feedback.enums import CaseState
    from feedback.factories import FeedbackCategoryFactory, ServiceCentreFactory
    from feedback.models import CentreMembership, Feedback, Rating
    from portal import roles
    from portal.factories import UserFactory

    community, grids = community_with_grids(GRIDS)
    centre = ServiceCentreFactory(community=community)
    staff = UserFactory(username="bench-centre", groups=[roles.SERVICE_CENTRE_STAFF])
    CentreMembership.objects.create(centre=centre, user=staff)
    category = FeedbackCategoryFactory(name="基准")
    now = timezone.now()
    with transaction.atomic():
        for n in range(CASES):
            created = now - dt.timedelta(hours=n * 1.7)
            case = Feedback(
                category=category,
                grid=grids[n % GRIDS],
                community=community,
                subject=f"诉求{n}",
                message="内容",
                created_at=created,
            )
            case.save()
            if n % 3:
                Feedback.objects.filter(pk=case.pk).update(
                    state=CaseState.RATED,
                    closed_at=created + dt.timedelta(hours=30),
                    escalated_at=created,
                )
                Rating.objects.create(case=case, level=1 + n % 5, created_at=created)
    return staff, grids[0]


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
        staff, grid = build()
        client = Client()
        from feedback.handling.jobs import escalate_overdue

        results = {
            "statistics page (all grids)": median_ms(lambda: client.get("/statistics/")),
            "statistics page (one grid)": median_ms(
                lambda: client.get(f"/statistics/?grid={grid.pk}")
            ),
        }
        client.force_login(staff)
        results["staff inbox, centre staff"] = median_ms(lambda: client.get("/admin/cases/"))
        results["staff inbox CSV export (5,000)"] = median_ms(
            lambda: b"".join(client.get("/admin/cases/?export=csv").streaming_content)
        )
        results["escalation job, nothing to do"] = median_ms(escalate_overdue)
        print(f"{CASES} cases in {GRIDS} grids, median of {RUNS} runs")
        for label, value in results.items():
            target = TARGETS_MS[label]
            verdict = "ok" if value <= target else "SLOWER THAN TARGET"
            print(f"  {label:<34} {value:8.1f} ms  (target {target} ms) {verdict}")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
