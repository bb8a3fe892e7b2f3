"""Fieldwork's e-mails as a mail program reads them: the slip to a line, the overdue reminder
and escalation, the visit reminder; each plain text and accessible HTML, with its links."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork.handover import escalate_overdue_slips, send_slip
from fieldwork.models import Visit, VisitPurpose
from fieldwork.visiting import remind_due_visits
from portal.calendar import add_working_days
from tests.mailparts import assert_accessible, parse, parts

pytestmark = pytest.mark.django_db

BASE = "https://grid.example.gov.cn"


@pytest.fixture
def slip(case_world, social_security, settings):
    settings.PORTAL_BASE_URL = BASE
    settings.WAGTAILADMIN_BASE_URL = BASE
    return send_slip(
        case_world.worker_a1_user,
        line=social_security,
        grid=case_world.grid_a1,
        subject="困难家庭申请临时救助",
        details="7号楼一户因病致困，\n希望了解临时救助政策。",
    )


def _sent_to(mailoutbox, address, subject_part):
    (message,) = [m for m in mailoutbox if m.to == [address] and subject_part in m.subject]
    return message


def test_the_slip_mail_has_the_token_link_in_both_parts(slip, send_outbox, mailoutbox):
    """The line's e-mail: plain text and HTML, each with the slip number and its token page."""
    send_outbox()
    text, html = parts(_sent_to(mailoutbox, "shebao@example.org", "工作单"))
    token = re.search(r"/fieldwork/slips/([\w-]+)/", text).group(1)
    link = BASE + reverse("fieldwork_slip_ack", args=[token])
    page = assert_accessible(html)
    assert slip.number in text and slip.number in page.all_text
    assert link in text and link in page.links


def test_the_slip_mail_keeps_its_plain_text(slip, send_outbox, mailoutbox):
    """The plain part is the slip as before: deadline, matter, place, details and the warning."""
    send_outbox()
    text, _html = parts(_sent_to(mailoutbox, "shebao@example.org", "工作单"))
    deadline = f"{timezone.localtime(slip.deadline):%Y-%m-%d %H:%M}"
    assert f"交来工作单 {slip.number}，请在 {deadline} 前办理。" in text
    assert "事项：困难家庭申请临时救助\n地点：—\n" in text
    assert "情况说明：\n7号楼一户因病致困，\n希望了解临时救助政策。\n" in text
    assert "此链接只发给本条线联系人，请勿转发。" in text


def test_the_slip_mail_has_a_message_id_on_the_public_address(slip, send_outbox, mailoutbox):
    """The slip's Message-ID is made as every other, on the site's domain."""
    send_outbox()
    sent = parse(_sent_to(mailoutbox, "shebao@example.org", "工作单"))
    assert re.fullmatch(rf"<slip\.{slip.pk}\.\w+@grid\.example\.gov\.cn>", sent["Message-ID"])


def test_the_overdue_reminder_names_the_slip_in_both_parts(slip, send_outbox, mailoutbox):
    """The line's overdue reminder: both parts name the slip; the HTML is accessible."""
    escalate_overdue_slips(now=slip.deadline + dt.timedelta(hours=1))
    send_outbox()
    text, html = parts(_sent_to(mailoutbox, "shebao@example.org", "【提醒】"))
    page = assert_accessible(html)
    assert slip.number in text and slip.number in page.all_text
    assert "请尽快办理" in text and "请尽快办理" in page.all_text


def test_the_escalation_links_the_slips_admin_page(slip, send_outbox, mailoutbox):
    """The centre head's escalation links the slip's own page in the admin, in both parts."""
    escalate_overdue_slips(now=slip.deadline + dt.timedelta(hours=1))
    send_outbox()
    text, html = parts(_sent_to(mailoutbox, "head-a@example.org", "【督办】"))
    link = BASE + reverse("fieldwork_slips:edit", args=[slip.pk])
    page = assert_accessible(html)
    assert slip.number in text and slip.number in page.all_text
    assert link in text and link in page.links


def test_the_visit_reminder_links_the_form_for_the_next_visit(
    case_world, settings, send_outbox, mailoutbox
):
    """The visit reminder: both parts carry the link that records the next visit."""
    settings.PORTAL_BASE_URL = BASE
    today = timezone.localdate()
    visit = Visit.objects.create(
        grid=case_world.grid_a1,
        visitor=case_world.worker_a1_user,
        address="5号楼东侧",
        purpose=VisitPurpose.ROUTINE,
        date=today - dt.timedelta(days=7),
        follow_up_on=add_working_days(today, 1),
    )
    remind_due_visits()
    send_outbox()
    (sent,) = mailoutbox
    text, html = parts(sent)
    link = BASE + reverse("fieldwork_visits:add") + f"?previous={visit.pk}"
    page = assert_accessible(html)
    assert "5号楼东侧" in text and "5号楼东侧" in page.all_text
    assert link in text and link in page.links
