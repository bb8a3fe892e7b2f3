"""Alerts by area: double opt-in, what reaches whom, at once or in the daily digest, one-click
unsubscribe (RFC 8058), the manage page, rate limits."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from post_office.models import Email

from notices.alerts import tokens
from notices.enums import Urgency
from notices.factories import ApprovalOutcomePageFactory, NoticePageFactory
from notices.models import AlertSubscription, NoticeCategory

pytestmark = pytest.mark.django_db

RESIDENT = "resident@example.org"


def mails(address=RESIDENT):
    return [email for email in Email.objects.order_by("pk") if address in email.to]


def link(email, name):
    """The first /alerts/<name>/… link in an e-mail's text."""
    found = re.search(rf"http://127\.0\.0\.1:8000(/alerts/{name}/[^/\s]+/)", email.message)
    assert found, email.message
    return found.group(1)


def subscribe(client, address=RESIDENT, scope="", kinds=("notices", "urgent"), **extra):
    data = {"email": address, "scope": scope, "kinds": list(kinds), "frequency": "immediate"}
    data.update(extra)
    return client.post("/alerts/", data)


def subscribed(client, address=RESIDENT, **kwargs):
    """Subscribe and follow the confirmation link (POST, as the button does)."""
    assert subscribe(client, address, **kwargs).status_code == 200
    confirm = link(mails(address)[-1], "confirm")
    assert client.post(confirm).status_code == 200
    return AlertSubscription.objects.filter(subscriber__address=address).latest("pk")


def publish(page, grids=()):
    if grids:
        page.target_grids.set(grids)
    page.save_revision().publish()
    return page


def send():
    call_command("send_alerts", verbosity=0)


def test_subscribing_sends_only_the_confirmation_until_it_is_confirmed(client, grid, notice_index):
    response = subscribe(client, scope=grid.code)
    assert response.status_code == 200 and "请查收邮件" in response.content.decode()
    (confirmation,) = mails()
    assert "/alerts/confirm/" in confirmation.message
    assert "List-Unsubscribe" not in (confirmation.headers or {})
    subscription = AlertSubscription.objects.get()
    assert not subscription.confirmed and subscription.scope.specific == grid

    publish(NoticePageFactory(parent=notice_index, title="未确认时的通知"), [grid])
    send()
    call_command("send_alert_digest", verbosity=0)
    assert mails() == [confirmation]  # nothing but the confirmation mail


def test_following_the_link_shows_a_button_and_the_button_confirms(client, grid):
    subscribe(client, scope=grid.code)
    confirm = link(mails()[0], "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and "<form" in page.content.decode()
    assert not AlertSubscription.objects.get().confirmed  # a mail scanner confirms nothing
    client.post(confirm)
    assert AlertSubscription.objects.get().confirmed


def test_a_confirmed_subscription_gets_each_new_notice_once_with_unsubscribe_headers(
    client, grid, notice_index
):
    subscribed(client, scope=grid.code)
    notice = publish(NoticePageFactory(parent=notice_index, title="停水通知", summary="周五停水"))
    send()
    send()
    alert = mails()[-1]
    assert alert.subject == "【网格化服务管理门户】停水通知"
    assert "周五停水" in alert.message
    assert f"http://127.0.0.1:8000{notice.url}" in alert.message
    unsubscribe = link(alert, "unsubscribe")
    assert alert.headers["List-Unsubscribe"] == f"<http://127.0.0.1:8000{unsubscribe}>"
    assert alert.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert len([m for m in mails() if "停水通知" in m.subject]) == 1


def test_scope_decides_which_grid_notices_reach_whom(client, grid, east_grid, notice_index):
    """A grid's subscriber gets its grid's and the community's notices, not another grid's;
    the community's subscriber gets all."""
    community = grid.get_parent().specific
    subscribed(client, "west@example.org", scope=grid.code)
    subscribed(client, "all@example.org", scope=community.code)
    publish(NoticePageFactory(parent=notice_index, title="东网格停电"), [east_grid])
    publish(NoticePageFactory(parent=notice_index, title="西网格停电"), [grid])
    publish(NoticePageFactory(parent=notice_index, title="全社区体检"))
    send()
    west = {m.subject for m in mails("west@example.org")[1:]}
    everyone = {m.subject for m in mails("all@example.org")[1:]}
    assert west == {"【网格化服务管理门户】西网格停电", "【网格化服务管理门户】全社区体检"}
    assert len(everyone) == 3


def test_category_filter_and_urgent_notices(client, grid, notice_index):
    """A subscription to one category gets only it, but urgent notices of any category."""
    other = NoticeCategory.objects.create(name="订阅测试类别", slug="alert-test")
    chosen = NoticeCategory.objects.exclude(pk=other.pk).first()
    subscribed(client, scope=grid.code, category=str(chosen.pk))
    publish(NoticePageFactory(parent=notice_index, title="指南更新", category=other))
    publish(NoticePageFactory(parent=notice_index, title="本类通知", category=chosen))
    publish(
        NoticePageFactory(
            parent=notice_index, title="燃气泄漏", category=other, urgency=Urgency.URGENT
        )
    )
    send()
    subjects = {m.subject.removeprefix("【网格化服务管理门户】") for m in mails()[1:]}
    assert subjects == {"本类通知", "紧急通知：燃气泄漏"}


def test_daily_subscription_gets_urgent_at_once_and_the_rest_in_one_digest(
    client, grid, notice_index, settings
):
    settings.NOTICES_ALERT_DIGEST_HOUR = 0
    subscription = subscribed(client, scope=grid.code, frequency="daily")
    publish(NoticePageFactory(parent=notice_index, title="一般通知甲"))
    publish(NoticePageFactory(parent=notice_index, title="一般通知乙"))
    publish(NoticePageFactory(parent=notice_index, title="暴雨预警", urgency=Urgency.URGENT))
    send()
    assert [m.subject for m in mails()[1:]] == ["【网格化服务管理门户】紧急通知：暴雨预警"]
    call_command("send_alert_digest", verbosity=0)
    call_command("send_alert_digest", verbosity=0)  # once a day
    digest = mails()[-1]
    assert len(mails()) == 3
    assert "一般通知甲" in digest.message and "一般通知乙" in digest.message
    assert "暴雨预警" not in digest.message  # already sent
    assert digest.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    subscription.refresh_from_db()
    assert subscription.last_digest_on == timezone.localdate()


def test_digest_waits_for_its_hour(client, grid, notice_index, settings):
    settings.NOTICES_ALERT_DIGEST_HOUR = 11
    morning = timezone.make_aware(dt.datetime(2026, 6, 1, 10, 0))
    with time_machine.travel(morning, tick=False):
        subscribed(client, scope=grid.code, frequency="daily")
        publish(NoticePageFactory(parent=notice_index, title="一般通知"))
        call_command("send_alert_digest", verbosity=0)
        assert len(mails()) == 1
    with time_machine.travel(morning + dt.timedelta(hours=1, minutes=5), tick=False):
        call_command("send_alert_digest", verbosity=0)
    assert len(mails()) == 2 and "一般通知" in mails()[-1].message


def test_publicity_reaches_those_who_want_it(client, grid, publicity_index):
    subscribed(client, "p@example.org", scope=grid.code, kinds=("publicity",))
    subscribed(client, "n@example.org", scope=grid.code, kinds=("notices",))
    publish(ApprovalOutcomePageFactory(parent=publicity_index, title="低保公示"))
    send()
    assert [m.subject for m in mails("p@example.org")[1:]] == ["【网格化服务管理门户】低保公示"]
    assert mails("n@example.org")[1:] == []


def test_one_click_unsubscribe_needs_no_cookie_or_csrf(client, grid, notice_index):
    subscribed(client, scope=grid.code)
    publish(NoticePageFactory(parent=notice_index))
    send()
    unsubscribe = link(mails()[-1], "unsubscribe")
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(unsubscribe).status_code == 200
    assert AlertSubscription.objects.exists()  # a GET (a link scanner) ends nothing
    response = mail_program.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not AlertSubscription.objects.exists()
    assert mail_program.post(unsubscribe).status_code == 200  # again: the same answer


def test_manage_page_lists_only_that_subscribers_subscriptions(client, grid, east_grid):
    mine = subscribed(client, scope=grid.code)
    subscribed(client, scope=east_grid.code)
    subscribed(client, "neighbour@example.org", scope=grid.code)
    subscriber = mine.subscriber
    manage = f"/alerts/manage/{tokens.make('manage', subscriber.pk, subscriber.address)}/"
    html = client.get(manage).content.decode()
    assert html.count('name="remove" value="') == 3  # two subscriptions and "all"
    assert "neighbour@example.org" not in html
    neighbour = AlertSubscription.objects.get(subscriber__address="neighbour@example.org")
    client.post(manage, {"remove": neighbour.pk})
    assert AlertSubscription.objects.filter(pk=neighbour.pk).exists()  # not theirs to end
    client.post(manage, {"remove": mine.pk})
    assert not AlertSubscription.objects.filter(pk=mine.pk).exists()
    assert subscriber.subscriptions.count() == 1


@pytest.mark.parametrize("kind", ["manage", "unsubscribe", "confirm"])
def test_forged_altered_or_misused_tokens_do_nothing(client, grid, kind):
    """A token of another kind, for another address, altered or made up opens nothing (an
    unsubscribe link that leads nowhere says "done", as for a subscription already ended)."""
    subscription = subscribed(client, scope=grid.code)
    address = subscription.subscriber.address
    pk = subscription.subscriber.pk if kind == "manage" else subscription.pk
    good = tokens.make(kind, pk, address)
    wrong_kind = tokens.make("manage" if kind != "manage" else "confirm", pk, address)
    other_address = tokens.make(kind, pk, "someone@example.org")
    for token in (wrong_kind, good[:-2] + "xx", "abc"):
        assert client.get(f"/alerts/{kind}/{token}/").status_code == 404
        assert client.post(f"/alerts/{kind}/{token}/").status_code == 404
    response = client.post(f"/alerts/{kind}/{other_address}/", {"remove": "all"})
    assert response.status_code == (200 if kind == "unsubscribe" else 404)
    subscription.refresh_from_db()
    assert subscription.confirmed


def test_confirmation_link_expires(client, grid):
    subscribe(client, scope=grid.code)
    confirm = link(mails()[0], "confirm")
    with time_machine.travel(timezone.now() + dt.timedelta(days=tokens.CONFIRM_DAYS + 1)):
        assert client.post(confirm).status_code == 404
    assert not AlertSubscription.objects.get().confirmed


def test_manage_link_goes_only_to_a_confirmed_address(client, grid):
    subscribe(client, "unconfirmed@example.org", scope=grid.code)
    subscribed(client, scope=grid.code)
    for address in ("unconfirmed@example.org", RESIDENT, "nobody@example.org"):
        response = client.post("/alerts/manage/", {"email": address})
        assert response.status_code == 200 and "请查收邮件" in response.content.decode()
    assert len(mails("unconfirmed@example.org")) == 1  # the confirmation only
    assert mails("nobody@example.org") == []
    assert "/alerts/manage/" in mails()[-1].message


def test_subscribing_again_to_a_confirmed_subscription_sends_the_manage_link(client, grid):
    subscribed(client, scope=grid.code)
    subscribe(client, scope=grid.code)
    assert AlertSubscription.objects.count() == 1
    assert "/alerts/manage/" in mails()[-1].message


def test_subscribe_form_is_rate_limited_per_email_and_ip(client, grid, settings):
    settings.NOTICES_ALERT_RATE_PER_EMAIL = 2
    settings.NOTICES_ALERT_RATE_PER_IP = 2
    assert subscribe(client, "a@example.org").status_code == 200
    assert subscribe(client, "a@example.org").status_code == 200
    assert subscribe(client, "a@example.org").status_code == 429
    assert subscribe(client, "b@example.org").status_code == 429  # the IP address's third
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert subscribe(other, "c@example.org").status_code == 200


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "scope": "", "kinds": ["notices"], "frequency": "daily"},
        {"email": RESIDENT, "scope": "NO-SUCH", "kinds": ["notices"], "frequency": "daily"},
        {"email": RESIDENT, "scope": "", "kinds": [], "frequency": "daily"},
        {"email": RESIDENT, "scope": "", "kinds": ["notices"], "frequency": "hourly"},
    ],
)
def test_bad_forms_are_refused_and_send_nothing(client, grid, data):
    assert client.post("/alerts/", data).status_code == 400
    assert not Email.objects.exists() and not AlertSubscription.objects.exists()


def test_the_form_takes_a_scope_from_the_link(client, grid):
    html = client.get("/alerts/", {"scope": grid.code}).content.decode()
    assert f'<option value="{grid.code}" selected>' in html


def test_notice_index_links_to_the_subscribe_form_for_its_grid(client, grid, notice_index):
    html = client.get(notice_index.url, {"grid": grid.code}).content.decode()
    assert f'href="/alerts/?scope={grid.code}"' in html
