"""Add the official holidays and make-up working days of some years to the working calendar."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.calendar import seed_calendar


class Command(BaseCommand):
    help = "Seed the working calendar from the chinesecalendar package (this year and next)."

    def add_arguments(self, parser):
        parser.add_argument(
            "years", nargs="*", type=int, help="Years to seed (default: this and next)."
        )

    def handle(self, *args, years=None, **options):
        this_year = timezone.localdate().year
        years = years or [this_year, this_year + 1]
        added, missing = seed_calendar(years)
        self.stdout.write(f"Added {added} calendar days for {', '.join(map(str, years))}.")
        for year in missing:
            self.stdout.write(
                self.style.WARNING(
                    f"No official data for {year} yet: add its holidays in the admin "
                    "(设置 → 工作日历) once the State Council publishes them."
                )
            )
