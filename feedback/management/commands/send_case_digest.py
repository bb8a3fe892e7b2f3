"""Once a day, e-mail each service centre its list of overdue cases."""

from django.core.management.base import BaseCommand

from feedback.handling.jobs import send_digest


class Command(BaseCommand):
    help = "Send the daily digest of overdue cases (does nothing if it already ran today)."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_digest()} digests queued")
