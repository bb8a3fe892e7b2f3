"""Remind grid workers of household visits due again by the next working day."""

from django.core.management.base import BaseCommand

from fieldwork.visiting import remind_due_visits


class Command(BaseCommand):
    help = "E-mail the visitor and companion once about each visit due by the next working day."

    def handle(self, *args, **options):
        self.stdout.write(f"{remind_due_visits()} visit reminders queued")
