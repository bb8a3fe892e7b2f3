"""The worker runs every duty; one that fails is logged and never stops the others."""

import logging

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.management.commands.run_worker import Duty

pytestmark = pytest.mark.django_db


def test_failing_duty_is_logged_and_others_still_run(settings, caplog, capsys, monkeypatch):
    """A broken duty is logged with its name; the duty after it still runs."""
    ran = []
    monkeypatch.setattr(
        "portal.management.commands.run_worker.call_command",
        lambda name, *args: ran.append(name) if name != "broken_duty" else 1 / 0,
    )
    settings.PORTAL_WORKER_DUTIES = [
        {"command": "broken_duty", "every": 60},
        {"command": "publish_scheduled", "every": 60},
    ]
    with caplog.at_level(logging.ERROR, logger="portal.worker"):
        call_command("run_worker", "--once")
    assert "duty broken_duty failed" in caplog.text
    assert "ZeroDivisionError" in caplog.text
    assert ran == ["publish_scheduled"]
    assert "failed: broken_duty" in capsys.readouterr().err


def test_failed_duty_retries_with_growing_back_off(monkeypatch):
    """Failures back off 5, 10, 20 … seconds, capped at the duty's interval."""
    calls = []

    def fail(*args):
        calls.append(args)
        raise CommandError("smtp down")

    monkeypatch.setattr("portal.management.commands.run_worker.call_command", fail)
    duty = Duty(command="send_queued_mail", every=60)
    delays = []
    for _ in range(6):
        duty.run(now=1000.0)
        delays.append(duty.due_at - 1000.0)
    assert delays == [5, 10, 20, 40, 60, 60]
    monkeypatch.setattr("portal.management.commands.run_worker.call_command", lambda *a: None)
    duty.run(now=1000.0)
    assert (duty.failures, duty.due_at) == (0, 1060.0)


def test_default_duties_include_mail_and_scheduled_publishing(settings):
    """The worker sends queued e-mail and publishes scheduled pages every minute."""
    duties = {d["command"]: d["every"] for d in settings.PORTAL_WORKER_DUTIES}
    assert duties["send_queued_mail"] == 60
    assert duties["publish_scheduled"] == 60


def test_a_duty_reads_the_version_numbers_once(monkeypatch, django_assert_num_queries):
    """Deadlines, routing and the calendar read version numbers often; a run reads them once."""
    from portal import versions

    def duty(*args):
        for _ in range(3):
            versions.current("calendar")
            versions.current("pages")

    monkeypatch.setattr("portal.management.commands.run_worker.call_command", duty)
    # The test's transaction must survive the run (the worker closes stale connections).
    monkeypatch.setattr("portal.management.commands.run_worker.close_old_connections", lambda: 0)
    with django_assert_num_queries(1):
        assert Duty(command="check_deadlines", every=60).run(now=0.0)
