"""The worker runs every job; one that fails is logged and never stops the others."""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.management.commands.run_worker import Job

pytestmark = pytest.mark.django_db


def test_failing_job_is_logged_and_others_still_run(settings, caplog, capsys, monkeypatch):
    """A broken job is logged with its name; the job after it still runs."""
    ran = []
    monkeypatch.setattr(
        "portal.management.commands.run_worker.call_command",
        lambda name, *args: ran.append(name) if name != "broken_job" else 1 / 0,
    )
    settings.PORTAL_WORKER_JOBS = [
        {"command": "broken_job", "every": 60},
        {"command": "publish_scheduled", "every": 60},
    ]
    with caplog.at_level(logging.ERROR, logger="portal.worker"):
        call_command("run_worker", "--once")
    assert "job broken_job failed" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    assert ran == ["publish_scheduled"]
    assert "failed: broken_job" in capsys.readouterr().err


def test_failed_job_retries_with_growing_back_off(monkeypatch):
    """Failures back off 5, 10, 20 … seconds, capped at the job's interval."""
    calls = []

    def fail(*args):
        calls.append(args)
        raise CommandError("smtp down")

    monkeypatch.setattr("portal.management.commands.run_worker.call_command", fail)
    job = Job(command="send_queued_mail", every=60)
    delays = []
    for _ in range(6):
        job.run(now=1000.0)
        delays.append(job.due_at - 1000.0)
    assert delays == [5, 10, 20, 40, 60, 60]
    monkeypatch.setattr("portal.management.commands.run_worker.call_command", lambda *a: None)
    job.run(now=1000.0)
    assert (job.failures, job.due_at) == (0, 1060.0)


def test_default_jobs_include_mail_and_scheduled_publishing(settings):
    """The worker sends queued e-mail and publishes scheduled pages every minute."""
    jobs = {d["command"]: d["every"] for d in settings.PORTAL_WORKER_JOBS}
    assert jobs["send_queued_mail"] == 60
    assert jobs["publish_scheduled"] == 60


def test_a_job_reads_the_version_numbers_once(monkeypatch, django_assert_num_queries):
    """Deadlines, routing and the calendar read version numbers often; a run reads them once."""
    from portal import versions

    def job(*args):
        for _ in range(3):
            versions.current("calendar")
            versions.current("pages")

    monkeypatch.setattr("portal.management.commands.run_worker.call_command", job)
    # The test's transaction must survive the run (the worker closes stale connections).
    monkeypatch.setattr("portal.management.commands.run_worker.close_old_connections", lambda: 0)
    with django_assert_num_queries(1):
        assert Job(command="check_deadlines", every=60).run(now=0.0)
