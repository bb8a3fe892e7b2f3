"""Alert e-mails as a mail program reads them: plain text and accessible HTML with the same
links (the notice's own page, manage, unsubscribe), and List-Unsubscribe kept."""

import pytest
from django.core.management import call_command

from notices.factories import NoticePageFactory
from tests.mailparts import assert_accessible, parse, parts
from tests.notices.test_alerts import RESIDENT, link, mails, publish, subscribe, subscribed

pytestmark = pytest.mark.django_db

BASE = "http://127.0.0.1:8000"


def _sent(mailoutbox, send_outbox, subject_part):
    send_outbox()
    return [m for m in mailoutbox if m.to == [RESIDENT] and subject_part in m.subject]


def test_alert_links_the_notice_page_and_the_subscription_in_both_parts(
    client, grid, notice_index, send_outbox, mailoutbox
):
    """An alert's text and HTML both link the notice's own page, manage and unsubscribe."""
    subscribed(client, scope=grid.code)
    notice = publish(NoticePageFactory(parent=notice_index, title="停水通知", summary="周五停水"))
    call_command("send_alerts", verbosity=0)
    (alert,) = _sent(mailoutbox, send_outbox, "停水通知")
    text, html = parts(alert)
    page = assert_accessible(html)
    unsubscribe = BASE + link(mails()[-1], "unsubscribe")
    manage = BASE + link(mails()[-1], "manage")
    for url in (BASE + notice.url, manage, unsubscribe):
        assert url in text and url in page.links
    assert "周五停水" in page.all_text and "停水通知" in page.title


def test_alert_keeps_its_one_click_unsubscribe_headers(
    client, grid, notice_index, send_outbox, mailoutbox
):
    """List-Unsubscribe and List-Unsubscribe-Post reach the sent message beside the HTML."""
    subscribed(client, scope=grid.code)
    publish(NoticePageFactory(parent=notice_index, title="停电通知"))
    call_command("send_alerts", verbosity=0)
    (alert,) = _sent(mailoutbox, send_outbox, "停电通知")
    parsed = parse(alert)
    unsubscribe = BASE + link(mails()[-1], "unsubscribe")
    # A long header is folded after its name; unfolding leaves the space before the <.
    assert parsed["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_confirmation_link_is_a_real_link_in_the_html(client, grid, send_outbox, mailoutbox):
    """The confirmation mail's HTML carries the confirm link the text carries."""
    subscribe(client, scope=grid.code)
    (confirmation,) = _sent(mailoutbox, send_outbox, "确认")
    text, html = parts(confirmation)
    page = assert_accessible(html)
    confirm = BASE + link(mails()[-1], "confirm")
    assert confirm in text and page.links.get(confirm) == "确认订阅"
