"""Unpublish approval publicity whose period has ended (run by the worker on schedule).

Pages already answer 410 and drop out of listings the moment the period ends; this makes the
admin state match, with an entry in the page's history. An unpublished ended batch keeps
answering 410 at its URL (ApprovalOutcomePage.route).
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from notices.models import ApprovalOutcomePage


class Command(BaseCommand):
    help = "Unpublish approval publicity whose publicity period has ended."

    def handle(self, *args, **options):
        today = timezone.localdate()
        ended = ApprovalOutcomePage.objects.live().ended(today)
        count = 0
        for page in ended:
            page.unpublish(log_action="wagtail.unpublish")
            count += 1
        if count or options.get("verbosity", 1) > 1:
            self.stdout.write(f"Ended {count} publicity batch(es).")
