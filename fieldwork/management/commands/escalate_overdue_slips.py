"""Escalate handover slips past their deadline, once per slip (督办)."""

from django.core.management.base import BaseCommand

from fieldwork.handover import escalate_overdue_slips


class Command(BaseCommand):
    help = "E-mail the service-centre head and the line once about each overdue handover slip."

    def handle(self, *args, **options):
        self.stdout.write(f"{escalate_overdue_slips()} slips escalated")
