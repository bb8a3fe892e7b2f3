"""Anonymise contact details and delete photos of cases closed more than N days ago."""

from django.core.management.base import BaseCommand

from feedback.handling.jobs import apply_retention


class Command(BaseCommand):
    help = "Apply the retention rule (FEEDBACK_RETENTION_DAYS) to closed cases; logged."

    def handle(self, *args, **options):
        cases, photos = apply_retention()
        self.stdout.write(f"{cases} cases anonymised, {photos} photos deleted")
