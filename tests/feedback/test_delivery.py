"""Delivery through the outbox to a real SMTP server (aiosmtpd), retries and failures."""

import datetime as dt
import email as email_parser
from email.policy import default as default_policy

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.utils import timezone
from post_office.mail import send_queued
from post_office.models import STATUS, Email

from feedback.intake.delivery import (
    RETRY_SCHEDULE_MINUTES,
    apply_retry_schedule,
    failed_deliveries,
    retry_delay,
    total_retry_window,
)
from feedback.models import Delivery, Feedback

pytestmark = pytest.mark.django_db


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email_parser.message_from_bytes(envelope.content, policy=default_policy)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 OK"


@pytest.fixture
def smtp(settings, free_port):
    """A real SMTP server on a free localhost port, with the outbox sending through it."""
    port = free_port
    inbox = Inbox()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_TIMEOUT = 5
    settings.POST_OFFICE = {
        **settings.POST_OFFICE,
        "BACKENDS": {"default": "portal.mail.SMTPBackend"},
    }

    class Server:
        def __init__(self):
            self.controller = None
            self.inbox = inbox

        def start(self):
            self.controller = Controller(inbox, hostname="127.0.0.1", port=port)
            self.controller.start()

        def stop(self):
            if self.controller is not None:
                self.controller.stop()
                self.controller = None

    server = Server()
    server.start()
    yield server
    server.stop()


def submit(client, form_data, **overrides):
    response = client.post("/feedback/", form_data(**overrides))
    assert response.status_code == 302
    return Feedback.objects.order_by("-pk").first()


def test_deliveries_reach_smtp_with_recipients_and_headers(client, form_data, smtp, send_outbox):
    """Each recipient gets one message with the ticket, a stable Message-ID and no contacts."""
    case = submit(client, form_data)
    send_outbox()
    received = {tuple(rcpt): message for rcpt, message in smtp.inbox.messages}
    assert set(received) == {
        ("zhang@example.org",),
        ("centre@example.org",),
        ("resident@example.com",),
    }
    for delivery in case.deliveries.all():
        message = received[(delivery.recipient_email,)]
        assert message["Message-ID"] == delivery.message_id
        assert message["X-Feedback-Ticket"] == case.ticket_number
        assert case.ticket_number in message["Subject"]
    staff = received[("zhang@example.org",)].get_body(("plain",)).get_content()
    assert "希望家园3号楼东侧" in staff and "环境卫生" in staff and "第一网格" in staff
    assert f"/admin/cases/{case.pk}/" in staff
    for private in ("王女士", "13800001234", "resident@example.com", case.tracking_code):
        assert private not in staff
    acknowledgement = received[("resident@example.com",)].get_body(("plain",)).get_content()
    assert case.tracking_code in acknowledgement


def test_smtp_down_then_back_delivers_everything_once(client, form_data, smtp, send_outbox):
    """With SMTP down cases are saved and e-mails wait; when it is back each arrives once."""
    smtp.stop()
    cases = [submit(client, form_data, subject=f"第{n}件事") for n in range(3)]
    send_outbox()
    assert Feedback.objects.count() == 3
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.requeued}
    assert smtp.inbox.messages == []
    smtp.start()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        send_outbox()
        send_outbox()
    expected = sum(case.deliveries.count() for case in cases)
    assert len(smtp.inbox.messages) == expected == 9
    message_ids = [message["Message-ID"] for _rcpt, message in smtp.inbox.messages]
    assert len(set(message_ids)) == 9
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}


def test_resend_after_a_crash_keeps_the_message_id(client, form_data, smtp, send_outbox):
    """An e-mail sent again (the worker died before marking it sent) has the same Message-ID."""
    case = submit(client, form_data)
    send_outbox()
    first = {message["Message-ID"] for _rcpt, message in smtp.inbox.messages}
    Email.objects.update(status=STATUS.queued)  # as if the worker died mid-send
    send_outbox()
    again = [message["Message-ID"] for _rcpt, message in smtp.inbox.messages[len(first) :]]
    assert set(again) == first == set(case.deliveries.values_list("message_id", flat=True))


def test_a_two_minute_outage_delays_receipts_by_minutes(client, form_data, smtp, send_outbox):
    """The first retry comes within a minute: after a short outage every e-mail is out within
    a few minutes, not a quarter of an hour."""
    smtp.stop()
    submit(client, form_data)
    send_outbox()
    apply_retry_schedule()
    smtp.start()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        send_outbox()
    assert set(Email.objects.values_list("status", flat=True)) == {STATUS.sent}
    assert len(smtp.inbox.messages) == 3


def test_each_email_is_marked_sent_as_soon_as_it_is_sent(client, form_data, smtp):
    """One run of the sender handles one e-mail and marks it: a worker killed mid-run leaves
    every e-mail sent before it marked, and re-sends at most the one in flight."""
    submit(client, form_data)
    assert Email.objects.filter(status=STATUS.queued).count() == 3
    send_queued()
    assert len(smtp.inbox.messages) == 1
    assert Email.objects.filter(status=STATUS.sent).count() == 1
    assert Email.objects.filter(status=STATUS.queued).count() == 2


def test_retry_schedule_grows_and_spans_a_day():
    """Each wait is at least the one before, and all retries span more than 24 hours."""
    waits = [retry_delay(n) for n in range(1, len(RETRY_SCHEDULE_MINUTES) + 1)]
    assert waits == sorted(waits) and waits[0] < waits[-1]
    assert total_retry_window() >= dt.timedelta(hours=24)


def test_failing_delivery_is_retried_over_a_day_then_failed(
    client, form_data, smtp, send_outbox, settings
):
    """With SMTP down for good, an e-mail is tried on the growing schedule, then failed."""
    smtp.stop()
    case = submit(client, form_data, contact_email="")
    start = timezone.now()
    moment = start
    attempts = 0
    while Email.objects.exclude(status=STATUS.failed).exists():
        with time_machine.travel(moment, tick=False):
            send_outbox()
            apply_retry_schedule()
        attempts += 1
        email = Email.objects.exclude(status=STATUS.failed).order_by("scheduled_time").first()
        if email is None:
            break
        moment = email.scheduled_time + dt.timedelta(seconds=1)
        assert attempts < 50
    assert attempts == settings.POST_OFFICE["MAX_RETRIES"] + 1
    assert moment - start >= dt.timedelta(hours=24)
    assert set(failed_deliveries()) == set(case.deliveries.all())


def test_retry_schedule_is_idempotent(client, form_data, smtp, send_outbox):
    """Applying the schedule twice moves each requeued e-mail once."""
    smtp.stop()
    submit(client, form_data)
    send_outbox()
    apply_retry_schedule()
    assert apply_retry_schedule() == 0
    Email.objects.update(number_of_retries=3)
    assert apply_retry_schedule() == 3
    assert apply_retry_schedule() == 0
    email = Email.objects.first()
    assert email.scheduled_time == email.last_updated + dt.timedelta(minutes=15)


def test_one_delivery_per_recipient(client, form_data, workers, centre):
    """When the worker's inbox is also the centre's, the address gets one e-mail."""
    primary, _backup = workers
    primary.email = centre.inbox_email
    primary.save()
    case = submit(client, form_data, contact_email="")
    assert list(case.deliveries.values_list("recipient_email", flat=True)) == [centre.inbox_email]
    assert Delivery.objects.count() == Email.objects.count() == 1


def test_email_text_is_not_html_escaped(client, form_data):
    """A subject and message with & and quotes reach the e-mail as typed."""
    submit(client, form_data, subject='水管漏水 & "积水"', message="A&B <楼> 'x'", contact_email="")
    email = Email.objects.filter(to__contains="zhang@example.org").get()
    assert '水管漏水 & "积水"' in email.subject
    assert "A&B <楼> 'x'" in email.message


def test_line_break_in_subject_cannot_break_the_email(client, form_data, smtp, send_outbox):
    """A subject posted with a line break is kept on one line and the e-mail is sent."""
    case = submit(client, form_data, subject="路灯\r\nBcc: x@example.com", contact_email="")
    assert case.subject == "路灯 Bcc: x@example.com"
    send_outbox()
    assert len(smtp.inbox.messages) == 2
    assert all(message["Bcc"] is None for _rcpt, message in smtp.inbox.messages)


def test_every_case_email_has_a_message_id_on_the_public_address(client, form_data, settings):
    """Receipts and the mails sent later about a case (a reply, a follow-up) make their
    Message-ID one way: on the domain of the site's public address (PORTAL_BASE_URL)."""
    from feedback.enums import DeliveryPurpose, RecipientKind
    from feedback.handling.notify import render_case_mail, send_case_mail

    settings.WAGTAILADMIN_BASE_URL = "https://grid.example.gov.cn"
    case = submit(client, form_data)
    send_case_mail(
        case,
        "resident@example.net",
        RecipientKind.RESIDENT,
        DeliveryPurpose.FOLLOW_UP,
        render_case_mail("follow_up", case, reply="b"),
    )
    ids = list(Delivery.objects.filter(case=case).values_list("message_id", flat=True))
    assert len(ids) > 1 and case.deliveries.filter(purpose=DeliveryPurpose.FOLLOW_UP).exists()
    assert all(i.startswith("<feedback.") and i.endswith("@grid.example.gov.cn>") for i in ids)


def test_smtp_delivery_has_text_and_html_and_a_date_in_the_sites_zone(
    client, form_data, smtp, send_outbox
):
    """Through the production sending backend, each message arrives as multipart/alternative
    (text, then HTML) with a Date in +0800, as a mail program parses it."""
    submit(client, form_data)
    send_outbox()
    assert smtp.inbox.messages
    for _rcpt, message in smtp.inbox.messages:
        assert message.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in message.iter_parts()] == [
            "text/plain",
            "text/html",
        ]
        date = email_parser.utils.parsedate_to_datetime(message["Date"])
        assert date.utcoffset() == dt.timedelta(hours=8)
