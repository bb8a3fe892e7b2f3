"""The worker process: runs the periodic duties from settings.PORTAL_WORKER_DUTIES.

Each duty is a management command run every N seconds. A duty that fails is logged and tried
again after a short back-off (doubling up to its normal interval); it never stops the others.
"""

import logging
import signal
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from portal import versions

logger = logging.getLogger("portal.worker")
FIRST_RETRY_SECONDS = 5


class Duty:
    def __init__(self, command, every, args=()):
        self.command = command
        self.every = every
        self.args = list(args)
        self.due_at = 0.0
        self.failures = 0

    def run(self, now):
        close_old_connections()
        try:
            # Version numbers are read once per run, as they are once per request.
            with versions.remembered():
                call_command(self.command, *self.args)
        except Exception:
            self.failures += 1
            retry_in = min(self.every, FIRST_RETRY_SECONDS * 2 ** (self.failures - 1))
            logger.exception(
                "duty %s failed (%d in a row); retrying in %ss",
                self.command,
                self.failures,
                retry_in,
            )
            self.due_at = now + retry_in
            return False
        finally:
            close_old_connections()
        self.failures = 0
        self.due_at = now + self.every
        return True


class Command(BaseCommand):
    help = "Run the portal's periodic duties (queued e-mail, scheduled publishing, …)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every duty once, then stop (for tests)."
        )

    def handle(self, *args, once=False, **options):
        duties = [Duty(**spec) for spec in settings.PORTAL_WORKER_DUTIES]
        if once:
            results = {duty.command: duty.run(time.monotonic()) for duty in duties}
            failed = [name for name, ok in results.items() if not ok]
            if failed:
                self.stderr.write(f"failed: {', '.join(failed)}")
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("worker started with duties: %s", ", ".join(d.command for d in duties))
        while not self.stopping:
            now = time.monotonic()
            for duty in duties:
                if duty.due_at <= now and not self.stopping:
                    duty.run(now)
            next_due = min(duty.due_at for duty in duties) if duties else now + 60
            time.sleep(max(0.2, min(1.0, next_due - time.monotonic())))
        logger.info("worker stopped")

    def _stop(self, signum, frame):
        self.stopping = True
