"""Put requeued e-mails on the growing retry schedule (a worker job, run every minute)."""

from django.core.management.base import BaseCommand

from feedback.intake.delivery import apply_retry_schedule, total_retry_window


class Command(BaseCommand):
    help = "Move each requeued outbox e-mail's next attempt to its place on the growing schedule."

    def handle(self, *args, **options):
        moved = apply_retry_schedule()
        if options["verbosity"] > 1:
            self.stdout.write(
                f"{moved} e-mail(s) rescheduled; retries span {total_retry_window()} in all."
            )
