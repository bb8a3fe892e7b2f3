"""E-mail the service-centre head once about each case past its deadline (督办)."""

from django.core.management.base import BaseCommand

from feedback.handling.jobs import escalate_overdue


class Command(BaseCommand):
    help = "Escalate overdue cases to the service-centre head, once per case."

    def handle(self, *args, **options):
        self.stdout.write(f"{escalate_overdue()} escalations queued")
