"""Handover slips (工作单): sent through the outbox to a line, acknowledged and done through the
link in the e-mail, escalated once when overdue; seen only by the staff of their grid."""

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from fieldwork.handover import SlipError, acknowledge, escalate_overdue_slips, send_slip
from fieldwork.models import FindingOutcome, HandoverSlip, SlipState
from fieldwork.patrols import log_patrol
from portal.calendar import add_working_days

pytestmark = pytest.mark.django_db


def _send(w, line, **fields):
    fields.setdefault("subject", "困难家庭申请临时救助")
    fields.setdefault("details", "7号楼一户因病致困，希望了解临时救助政策。")
    return send_slip(w.worker_a1_user, line=line, grid=w.grid_a1, **fields)


def _token(email):
    return re.search(r"/fieldwork/slips/([\w-]+)/", email.message).group(1)


def test_a_slip_is_mailed_to_the_line_with_its_link(case_world, social_security):
    """The line's contact gets one e-mail naming the slip, with the acknowledgement link."""
    slip = _send(case_world, social_security)
    email = Email.objects.get(to=["shebao@example.org"])
    assert slip.number in email.subject
    assert slip.subject in email.message
    assert reverse("fieldwork_slip_ack", args=[_token(email)]) in email.message


def test_the_deadline_counts_the_lines_working_days(case_world, social_security):
    """A line with three working days: the deadline is the third working day, at 17:00."""
    sent = timezone.make_aware(dt.datetime(2026, 11, 27, 10, 0))  # a Friday
    slip = _send(case_world, social_security, now=sent)
    deadline = timezone.localtime(slip.deadline)
    assert deadline.date() == add_working_days(sent, 3)
    assert deadline.hour == 17


def test_the_token_is_not_stored(case_world, social_security):
    """Only a hash of the link's token is kept in the database."""
    slip = _send(case_world, social_security)
    token = _token(Email.objects.get(to=["shebao@example.org"]))
    assert token not in slip.token_hash


def test_the_line_acknowledges_then_reports_the_result(case_world, social_security, client):
    """Through the link: sign for the slip, then report it done; both are in the record."""
    slip = _send(case_world, social_security)
    url = reverse("fieldwork_slip_ack", args=[_token(Email.objects.get())])
    assert client.get(url).status_code == 200
    client.post(url, {"action": "acknowledge", "name": "周科员", "text": ""})
    slip.refresh_from_db()
    assert (slip.state, slip.acknowledged_by) == (SlipState.ACKNOWLEDGED, "周科员")
    client.post(url, {"action": "done", "name": "周科员", "text": "已上门讲解政策并受理申请。"})
    slip.refresh_from_db()
    assert slip.state == SlipState.DONE
    assert [e.state for e in slip.events.all()] == ["sent", "acknowledged", "done"]


def test_done_needs_a_result(case_world, social_security, client):
    """Reporting done without a result is refused with a message."""
    _send(case_world, social_security)
    url = reverse("fieldwork_slip_ack", args=[_token(Email.objects.get())])
    response = client.post(url, {"action": "done", "name": "周科员", "text": ""})
    assert response.status_code == 400
    assert "请填写办理结果" in response.content.decode()


def test_a_slip_is_acknowledged_once(case_world, social_security):
    """A second acknowledgement is refused."""
    slip = _send(case_world, social_security)
    acknowledge(slip, "周科员")
    with pytest.raises(SlipError):
        acknowledge(slip, "周科员")


def test_a_wrong_token_is_a_404_and_too_many_are_refused(case_world, client, settings):
    """Guessing links: each miss is a 404; past the hourly limit the page answers 429."""
    caches["ratelimit"].clear()
    settings.FIELDWORK_SLIP_FAILURES_PER_HOUR = 3
    url = reverse("fieldwork_slip_ack", args=["not-a-token"])
    assert [client.get(url).status_code for _i in range(4)] == [404, 404, 404, 429]
    caches["ratelimit"].clear()


def test_a_finding_becomes_a_slip(case_world, social_security, client):
    """From the patrol page the worker sends the finding to a line and lands on the slip."""
    patrol = log_patrol(
        worker=case_world.worker_a1_user,
        grid=case_world.grid_a1,
        route="7号楼",
        findings=[("7号楼", "独居老人反映低保续办不清楚")],
    )
    finding = patrol.findings.get()
    client.force_login(case_world.worker_a1_user)
    response = client.post(
        reverse("fieldwork_patrols:finding_slip", args=[finding.pk]),
        {
            "line": social_security.pk,
            "subject": "低保续办咨询",
            "details": "独居老人反映低保续办流程不清楚，请上门讲解。",
            "place": "7号楼",
        },
    )
    slip = HandoverSlip.objects.get()
    finding.refresh_from_db()
    assert response["Location"] == reverse("fieldwork_slips:edit", args=[slip.pk])
    assert (slip.finding, finding.outcome) == (finding, FindingOutcome.SLIP)


def test_an_overdue_slip_is_escalated_once(case_world, social_security):
    """Past its deadline the centre head and the line are e-mailed once, and never again."""
    slip = _send(case_world, social_security)
    later = slip.deadline + dt.timedelta(hours=1)
    assert escalate_overdue_slips(now=later) == 1
    assert escalate_overdue_slips(now=later) == 0
    recipients = sorted(e.to[0] for e in Email.objects.filter(subject__contains="超期"))
    assert recipients == ["head-a@example.org", "shebao@example.org"]


def test_a_done_slip_is_not_escalated(case_world, social_security):
    """A slip the line has finished is never escalated."""
    from fieldwork.handover import complete

    slip = _send(case_world, social_security)
    complete(slip, "已办结", name="周科员")
    assert escalate_overdue_slips(now=slip.deadline + dt.timedelta(days=1)) == 0


def test_another_communitys_staff_cannot_open_the_slip(case_world, social_security, client):
    """Centre B's staff get a 404 for a slip of grid A1; centre A's get the page."""
    slip = _send(case_world, social_security)
    url = reverse("fieldwork_slips:edit", args=[slip.pk])
    client.force_login(case_world.centre_b_user)
    assert client.get(url).status_code == 404
    client.force_login(case_world.centre_a_user)
    assert slip.subject in client.get(url).content.decode()


def test_staff_record_the_result_for_the_line(case_world, social_security, client):
    """When the line phones in, the centre records the result on the slip page."""
    slip = _send(case_world, social_security)
    client.force_login(case_world.centre_a_user)
    client.post(reverse("fieldwork_slips:edit", args=[slip.pk]), {"result": "电话告知已办结"})
    slip.refresh_from_db()
    assert (slip.state, slip.result) == (SlipState.DONE, "电话告知已办结")


def test_the_escalation_job_is_listed_for_the_worker(settings):
    """The worker runs the escalation of overdue slips."""
    commands = {job["command"] for job in settings.PORTAL_WORKER_JOBS}
    assert {"escalate_overdue_slips", "remind_visits"} <= commands
