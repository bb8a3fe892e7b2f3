"""Worker job: the daily digest of alerts, once a day from NOTICES_ALERT_DIGEST_HOUR."""

from django.core.management.base import BaseCommand

from portal import versions

from ...alerts.sending import send_digests


class Command(BaseCommand):
    help = "Queue the daily alert digests that are due."

    def handle(self, *args, **options):
        with versions.remembered():
            sent = send_digests()
        if options["verbosity"] > 1:
            self.stdout.write(f"{sent} digest(s) queued.")
