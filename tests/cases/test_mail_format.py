"""E-mails about a case after it is received (answer, closing notice, follow-up, escalation,
overdue digest, a survey rating turned case): plain text and accessible HTML with the same
content, links to the exact page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.enums import CaseState
from feedback.handling.after_rating import complete_follow_up
from feedback.handling.jobs import escalate_overdue, send_digest
from feedback.handling.transitions import reply, transition
from feedback.models import Feedback, FollowUp
from feedback.public.ratings import rate
from tests.mailparts import assert_accessible, parts

pytestmark = pytest.mark.django_db

PUBLIC = "https://grid.example.gov.cn"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PORTAL_BASE_URL = PUBLIC


def _to(mailoutbox, address):
    return [message for message in mailoutbox if message.to == [address]]


def _overdue(case_world):
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(
        state=CaseState.IN_PROGRESS, deadline=timezone.now() - dt.timedelta(hours=1)
    )
    case.refresh_from_db()
    return case


def test_answer_mail_has_the_answer_and_the_case_link_in_both_parts(
    case_world, send_outbox, mailoutbox
):
    """The resident's answer mail: the answer text and a link that opens their case, twice."""
    case = case_world.case()
    reply(case, case_world.worker_a1_user, "已安排电工明天<上午>维修。")
    send_outbox()
    (sent,) = _to(mailoutbox, "chen@example.org")
    text, html = parts(sent)
    page = assert_accessible(html)
    tracking = PUBLIC + reverse("feedback_track_case", args=[case.tracking_code])
    assert tracking in text and tracking in page.links
    for part in (text, page.all_text):
        assert "已安排电工明天<上午>维修。" in part
        assert case.ticket_number in part


def test_closing_mail_links_the_case_and_its_rating_form_in_both_parts(
    case_world, send_outbox, mailoutbox
):
    """The closing notice links the tracking page and the rating form from either part."""
    case = case_world.case()
    user = case_world.worker_a1_user
    for action in ("dispatch", "start", "verify", "close"):
        actor = case_world.centre_a_user if action == "verify" else user
        case = transition(case, action, actor, note="好", assignee=user)
    send_outbox()
    closing = [m for m in _to(mailoutbox, "chen@example.org") if "已办结" in m.subject]
    text, html = parts(closing[0])
    page = assert_accessible(html)
    for path in (
        reverse("feedback_track_case", args=[case.tracking_code]),
        reverse("feedback_rate", args=[case.tracking_code]),
    ):
        assert PUBLIC + path in text and PUBLIC + path in page.links


def test_escalation_links_the_case_in_the_admin_in_both_parts(case_world, send_outbox, mailoutbox):
    """The escalation to the centre head opens the case's admin page from either part."""
    case = _overdue(case_world)
    escalate_overdue()
    send_outbox()
    (sent,) = _to(mailoutbox, "head-a@example.org")
    text, html = parts(sent)
    page = assert_accessible(html)
    admin = PUBLIC + reverse("feedback_cases:edit", args=[case.pk])
    assert admin in text and page.links.get(admin) == "请督促办理"
    assert case.ticket_number in text and case.ticket_number in page.all_text


def test_overdue_digest_links_each_case_in_both_parts(case_world, send_outbox, mailoutbox):
    """The daily digest names each overdue case with a link to it, in text and HTML."""
    case = _overdue(case_world)
    send_digest()
    send_outbox()
    (sent,) = [m for m in mailoutbox if "日报" in m.subject]
    text, html = parts(sent)
    page = assert_accessible(html)
    admin = PUBLIC + reverse("feedback_cases:edit", args=[case.pk])
    assert admin in text and page.links.get(admin) == case.ticket_number
    overdue = PUBLIC + reverse("feedback_cases:index") + "?due=overdue"
    assert overdue in text and overdue in page.links


def test_follow_up_answer_links_the_residents_case_in_both_parts(
    case_world, send_outbox, mailoutbox
):
    """The follow-up answer carries the answer and the resident's case link in both parts."""
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    rate(case, 1, "没解决")
    follow_up = FollowUp.objects.get(case=case)
    complete_follow_up(follow_up, case_world.centre_a_user, "已上门", "更换灯具", "已重新修好。")
    send_outbox()
    (sent,) = [m for m in _to(mailoutbox, "chen@example.org") if "回访" in m.subject]
    text, html = parts(sent)
    page = assert_accessible(html)
    tracking = PUBLIC + reverse("feedback_track_case", args=[case.tracking_code])
    assert tracking in text and tracking in page.links
    assert "已重新修好。" in text and "已重新修好。" in page.all_text


def test_poor_survey_rating_mail_links_the_new_case_in_the_admin(
    case_world, client, send_outbox, mailoutbox
):
    """The centre told of a survey rating turned case can open that case from either part."""
    client.post(
        f"/feedback/survey/{case_world.grid_a1.pk}/",
        {"level": "1", "aspects": ["attitude"], "comment": "网格员很久不回电话"},
    )
    case = Feedback.objects.get()
    send_outbox()
    (sent,) = _to(mailoutbox, "centre-a@example.org")
    text, html = parts(sent)
    page = assert_accessible(html)
    admin = PUBLIC + reverse("feedback_cases:edit", args=[case.pk])
    assert admin in text and admin in page.links
    assert case.ticket_number in text and case.ticket_number in page.all_text
