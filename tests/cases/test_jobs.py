"""Escalation once, the daily digest once a day, and retention."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from feedback.enums import CaseState
from feedback.handling.jobs import apply_retention, escalate_overdue, send_digest
from feedback.models import Feedback, FeedbackPhoto, Rating
from feedback.stats import monthly_figures
from portal.models import JobRun

pytestmark = pytest.mark.django_db


def _overdue(case_world, **fields):
    case = case_world.case(**fields)
    Feedback.objects.filter(pk=case.pk).update(
        state=CaseState.IN_PROGRESS, deadline=timezone.now() - dt.timedelta(hours=1)
    )
    return case


def test_escalation_sent_once(case_world, send_outbox, mailoutbox):
    """An overdue case is escalated to its centre's head once, however often the job runs."""
    case = _overdue(case_world)
    case_world.case(subject="未超期")
    call_command("escalate_overdue_cases", stdout=io.StringIO())
    call_command("escalate_overdue_cases", stdout=io.StringIO())
    send_outbox()
    escalations = [m for m in mailoutbox if "督办" in m.subject]
    assert len(escalations) == 1
    assert escalations[0].to == ["head-a@example.org"]
    assert case.ticket_number in escalations[0].subject
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert case.events.filter(action="超期督办").count() == 1


def test_escalation_goes_to_the_cases_community(case_world, send_outbox, mailoutbox):
    """A case of community B goes to B's head."""
    _overdue(case_world, grid=case_world.grid_b1)
    escalate_overdue()
    send_outbox()
    assert [m.to for m in mailoutbox if "督办" in m.subject] == [["head-b@example.org"]]


def test_escalation_never_goes_to_a_centre_that_cannot_see_the_case(
    case_world, send_outbox, mailoutbox
):
    """A case of a community without a centre is not e-mailed to another community's centre."""
    from feedback.models import ServiceCentre

    ServiceCentre.objects.filter(pk=case_world.centre_b.pk).delete()
    case = _overdue(case_world, grid=case_world.grid_b1)
    escalate_overdue()
    send_outbox()
    assert [m.to for m in mailoutbox if "督办" in m.subject] == []
    assert case.events.filter(action="超期督办").count() == 1


def test_closed_case_is_not_escalated(case_world):
    """A case closed after its deadline is no longer escalated."""
    case = _overdue(case_world)
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    assert escalate_overdue() == 0


def test_inbox_flags_overdue(case_world, client):
    """The staff list marks an overdue case and the overdue filter finds it."""
    case = _overdue(case_world, subject="超期的诉求")
    case_world.case(subject="按期的诉求")
    client.force_login(case_world.centre_a_user)
    html = client.get("/admin/cases/?due=overdue").content.decode()
    assert "超期的诉求" in html and "按期的诉求" not in html and "超期" in html
    assert case.ticket_number in html


def test_digest_once_a_day(case_world, send_outbox, mailoutbox):
    """The digest lists each centre's overdue cases and is sent once per day."""
    case = _overdue(case_world)
    assert send_digest() == 1
    assert send_digest() == 0
    send_outbox()
    digests = [m for m in mailoutbox if "日报" in m.subject]
    assert len(digests) == 1 and case.ticket_number in digests[0].body
    assert sorted(digests[0].to) == ["centre-a@example.org", "head-a@example.org"]


def test_retention_anonymises_old_closed_cases(case_world, settings):
    """Cases closed more than N days ago lose contact details and photos, keep their figures."""
    settings.FEEDBACK_RETENTION_DAYS = 30
    old = case_world.case(subject="老诉求")
    recent = case_world.case(subject="新诉求")
    photo = FeedbackPhoto(case=old)
    photo.file.save("x.jpg", ContentFile(b"jpegdata"), save=True)
    path = photo.file.path
    now = timezone.now()
    Feedback.objects.filter(pk=old.pk).update(
        state=CaseState.RATED, closed_at=now - dt.timedelta(days=31)
    )
    Rating.objects.create(case=old, level=5, created_at=now - dt.timedelta(days=31))
    Feedback.objects.filter(pk=recent.pk).update(
        state=CaseState.CLOSED, closed_at=now - dt.timedelta(days=29)
    )
    before = [(r.closed, r.levels) for r in monthly_figures(months=3)]
    assert apply_retention() == (1, 1)
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_name, old.contact_phone, old.contact_email) == ("", "", "")
    assert old.anonymised_at is not None and not old.photos.exists()
    import os

    assert not os.path.exists(path)
    assert recent.contact_phone == "13912345678"
    assert [(r.closed, r.levels) for r in monthly_figures(months=3)] == before
    assert "1 cases anonymised" in JobRun.objects.get(name="retention").details


def test_retention_command_is_idempotent(case_world):
    """A second run finds nothing more to do."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=400)):
        case = case_world.case()
        Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    out = io.StringIO()
    call_command("apply_feedback_retention", stdout=out)
    call_command("apply_feedback_retention", stdout=out)
    assert "1 cases anonymised" in out.getvalue() and "0 cases anonymised" in out.getvalue()


def test_jobs_are_listed_for_the_worker(settings):
    """The worker runs escalation, the digest and retention."""
    commands = {job["command"] for job in settings.PORTAL_WORKER_JOBS}
    assert {"escalate_overdue_cases", "send_case_digest", "apply_feedback_retention"} <= commands
