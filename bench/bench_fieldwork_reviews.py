"""The weekly agenda and the assessment at community scale: 5,000 cases in 20 grids (the world
of bench_cases.py), a patrol per grid on most days and 300 household visits a month.

Targets (median of 5 runs, embedded SQLite, one process):
  weekly agenda page, centre staff ........... 300 ms
  assessment of a month (20 grids) .......... 1000 ms
  assessment of a year (20 grids) ........... 3000 ms
  statistics page with published figures .... 800 ms
Run with `make bench` (or `.venv/bin/python bench/bench_fieldwork_reviews.py`).
"""

import datetime as dt
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import django

django.setup()

from bench_cases import RUNS, build, median_ms  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

TARGETS_MS = {
    "weekly agenda page, centre staff": 300,
    "assessment of a month (20 grids)": 1000,
    "assessment of a year (20 grids)": 3000,
    "statistics page with published figures": 800,
}


def add_field_records(grids):
    from fieldwork.models import Patrol, Visit

    today = timezone.localdate()
    with transaction.atomic():
        patrols, visits = [], []
        for days_ago in range(365):
            day = today - dt.timedelta(days=days_ago)
            for n, grid in enumerate(grids):
                if (days_ago + n) % 7:
                    patrols.append(Patrol(grid=grid, date=day))
                if (days_ago + n) % 2 == 0:
                    visits.append(Visit(grid=grid, address=f"{n}号楼{days_ago % 40}", date=day))
        Patrol.objects.bulk_create(patrols, batch_size=2000)
        Visit.objects.bulk_create(visits, batch_size=2000)


def main():
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    call_command("setup_portal", verbosity=0)
    try:
        from fieldwork import scoring
        from fieldwork.models import Assessment
        from grids.models import GridPage

        staff, grid = build()
        community = grid.get_parent().specific
        add_field_records(list(GridPage.objects.live()))
        client = Client()
        client.force_login(staff)
        results = {
            "weekly agenda page, centre staff": median_ms(
                lambda: client.get("/admin/fieldwork/agenda/")
            ),
            "assessment of a month (20 grids)": median_ms(
                lambda: scoring.compute_month(community, scoring.last_month())
            ),
            "assessment of a year (20 grids)": median_ms(
                lambda: scoring.compute_year(community, timezone.localdate().year)
            ),
        }
        Assessment.objects.update(published=True)
        anonymous = Client()
        results["statistics page with published figures"] = median_ms(
            lambda: anonymous.get("/statistics/")
        )
        print(f"5000 cases in 20 grids with a year of patrols and visits, median of {RUNS} runs")
        for label, value in results.items():
            target = TARGETS_MS[label]
            verdict = "ok" if value <= target else "SLOWER THAN TARGET"
            print(f"  {label:<40} {value:8.1f} ms  (target {target} ms) {verdict}")
    finally:
        connection.creation.destroy_test_db(name, verbosity=0)


if __name__ == "__main__":
    main()
