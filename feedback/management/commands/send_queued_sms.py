"""Send the SMS outbox's due messages (a worker job, run every half minute)."""

from django.core.management.base import BaseCommand

from feedback.intake.sms import send_due


class Command(BaseCommand):
    help = "Send queued text messages to residents; each is marked sent as soon as it is sent."

    def handle(self, *args, **options):
        outcome = send_due()
        if options["verbosity"] > 1:
            self.stdout.write(", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())) or "0")
