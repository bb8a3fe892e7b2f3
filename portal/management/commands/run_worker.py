"""The worker process: runs the periodic jobs from settings.PORTAL_WORKER_JOBS.

Each job is a management command run every N seconds. A job that fails is logged and tried
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


class Job:
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
                "job %s failed (%d in a row); retrying in %ss",
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
    help = "Run the portal's periodic jobs (queued e-mail, scheduled publishing, …)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run every job once, then stop (for tests)."
        )

    def handle(self, *args, once=False, **options):
        jobs = [Job(**spec) for spec in settings.PORTAL_WORKER_JOBS]
        if once:
            results = {job.command: job.run(time.monotonic()) for job in jobs}
            failed = [name for name, ok in results.items() if not ok]
            if failed:
                self.stderr.write(f"failed: {', '.join(failed)}")
            return
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        logger.info("worker started with jobs: %s", ", ".join(d.command for d in jobs))
        while not self.stopping:
            now = time.monotonic()
            for job in jobs:
                if job.due_at <= now and not self.stopping:
                    job.run(now)
            next_due = min(job.due_at for job in jobs) if jobs else now + 60
            time.sleep(max(0.2, min(1.0, next_due - time.monotonic())))
        logger.info("worker stopped")

    def _stop(self, signum, frame):
        self.stopping = True
