"""Worker job: queue alerts of newly published notices and publicity for the subscriptions
that take them at once (and urgent notices for every subscription that wants them)."""

from django.core.management.base import BaseCommand

from portal import versions

from ...alerts.sending import send_immediate


class Command(BaseCommand):
    help = "Queue alert e-mails of new notices and publicity (immediate subscriptions, urgent)."

    def handle(self, *args, **options):
        with versions.remembered():
            sent = send_immediate()
        if options["verbosity"] > 1:
            self.stdout.write(f"{sent} alert(s) queued.")
