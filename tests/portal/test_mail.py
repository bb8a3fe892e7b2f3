"""The one shape of every e-mail (portal.mail): plain text and HTML, Date in the site's zone."""

import datetime as dt
import email.utils
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail as django_mail

from portal import mail
from tests.mailparts import assert_accessible, parse, parts

pytestmark = pytest.mark.django_db

QUEUED_AT = dt.datetime(2026, 3, 1, 1, 0, tzinfo=dt.UTC)


def test_date_is_the_time_of_sending_in_the_sites_time_zone(send_outbox, mailoutbox):
    """A message queued at 01:00 UTC and sent two hours later says 11:00 +0800."""
    with time_machine.travel(QUEUED_AT, tick=False):
        django_mail.send_mail("主题", "正文", None, ["a@example.org"])
    with time_machine.travel(QUEUED_AT + dt.timedelta(hours=2), tick=False):
        send_outbox()
    header = parse(mailoutbox[0])["Date"]
    assert header.endswith("+0800"), header
    sent = email.utils.parsedate_to_datetime(header)
    assert sent.utcoffset() == dt.timedelta(hours=8)
    assert sent == dt.datetime(2026, 3, 1, 11, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_send_date_follows_the_time_zone_setting(settings):
    """The Date is made from settings.TIME_ZONE, not from the process's own zone."""
    settings.TIME_ZONE = "Europe/London"
    assert mail.send_date(QUEUED_AT).endswith("+0000")
    settings.TIME_ZONE = "Asia/Shanghai"
    assert mail.send_date(QUEUED_AT) == "Sun, 01 Mar 2026 09:00:00 +0800"


def test_a_plain_text_mail_gets_an_html_alternative_with_its_links(send_outbox, mailoutbox):
    """Mail sent through Django with text only (as allauth's) leaves with an HTML part too."""
    body = "第一段\n打开 https://grid.example.org/accounts/x/ 继续。\n\n第二段 <b>不是标记</b>"
    django_mail.send_mail("请重设密码", body, None, ["a@example.org"])
    send_outbox()
    text, html = parts(mailoutbox[0])
    assert text.strip() == body
    page = assert_accessible(html)
    assert page.title == "请重设密码"
    assert page.links == {
        "https://grid.example.org/accounts/x/": "https://grid.example.org/accounts/x/"
    }
    assert "第二段 <b>不是标记</b>" in page.all_text


def test_a_message_with_its_own_html_is_left_as_it_is(send_outbox, mailoutbox):
    """A message that brings its own HTML part is not given a second one."""
    message = django_mail.EmailMultiAlternatives("主题", "正文", None, ["a@example.org"])
    message.attach_alternative("<p>正文</p>", "text/html")
    message.send()
    send_outbox()
    assert mailoutbox[0].alternatives == [("<p>正文</p>", "text/html")]


def test_password_reset_mail_has_the_same_link_in_both_parts(client, resident, send_outbox):
    """allauth's password-reset e-mail carries its reset link as a real link in the HTML."""
    resident.email = "resident@example.org"
    resident.save()
    client.post("/accounts/password/reset/", {"email": resident.email})
    send_outbox()
    (sent,) = django_mail.outbox
    text, html = parts(sent)
    page = assert_accessible(html)
    (reset,) = [url for url in page.links if "/accounts/password/reset/key/" in url]
    assert reset in text


@pytest.mark.parametrize("folder", ["feedback/email", "notices/alerts/email", "fieldwork/email"])
def test_every_mail_template_comes_as_subject_text_and_html_on_the_base(folder):
    """Each plain-text mail template has its subject and an HTML twin extending the base."""
    root = Path(settings.BASE_DIR) / "templates" / folder
    texts = [p for p in root.glob("*.txt") if not p.stem.endswith("_subject")]
    assert texts
    for text in texts:
        assert text.with_name(f"{text.stem}_subject.txt").exists(), text
        html = text.with_suffix(".html")
        assert '{% extends "email/base.html" %}' in html.read_text(), html
