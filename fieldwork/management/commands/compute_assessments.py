"""Compute last month's assessment (and in January last year's) where it is missing."""

from django.core.management.base import BaseCommand

from fieldwork.scoring import compute_missing


class Command(BaseCommand):
    help = "Compute each community's assessment of last month (and last year in January) once."

    def handle(self, *args, **options):
        self.stdout.write(f"{compute_missing()} assessment results computed")
