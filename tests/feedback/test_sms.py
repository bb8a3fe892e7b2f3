"""SMS to residents: receipt, answer, closing and follow-up texts through the outbox."""

import datetime as dt

import pytest
from django.utils import timezone

from feedback.enums import DeliveryPurpose, Source
from feedback.handling.transitions import file_on_behalf
from feedback.intake import sms as outbox
from feedback.models import Delivery, Feedback, SmsDelivery, SmsStatus
from portal import sms
from portal.sms.backends import BaseBackend, LocmemBackend

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def texts():
    LocmemBackend.outbox.clear()
    yield LocmemBackend.outbox
    LocmemBackend.outbox.clear()


class Refusing(BaseBackend):
    def __init__(self, code, retryable):
        self.code, self.retryable, self.calls = code, retryable, 0

    def send(self, message):
        self.calls += 1
        raise sms.SmsError(self.code, retryable=self.retryable)


def test_a_resident_with_a_mobile_gets_the_receipt_by_sms(client, form_data, texts):
    client.post("/feedback/", form_data(contact_email=""))
    case = Feedback.objects.get()
    row = SmsDelivery.objects.get(case=case)
    assert (row.purpose, row.phone, row.status) == ("acknowledgement", "13800001234", "queued")
    assert outbox.send_due() == {SmsStatus.SENT: 1}
    (message,) = texts
    assert message.phone == "13800001234" and message.template == "receipt"
    assert case.ticket_number in message.text and case.tracking_code in message.text
    assert message.text.endswith(f"/feedback/track/{case.tracking_code}/")
    row.refresh_from_db()
    assert row.status == SmsStatus.SENT and row.sent_at and row.provider_id
    # Sent rows are not sent again.
    assert outbox.send_due() == {}
    assert len(texts) == 1


def test_a_landline_gets_no_sms(client, form_data):
    client.post("/feedback/", form_data(contact_phone="010-62345678"))
    assert not SmsDelivery.objects.exists()


def test_one_event_is_texted_once(client, form_data):
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    assert outbox.queue(case, DeliveryPurpose.ACKNOWLEDGEMENT) is None
    assert SmsDelivery.objects.filter(case=case).count() == 1


def test_rate_limited_send_is_retried_later_and_bad_number_fails(client, form_data):
    client.post("/feedback/", form_data())
    row = SmsDelivery.objects.get()
    now = timezone.now()
    limited = Refusing("isv.BUSINESS_LIMIT_CONTROL", retryable=True)
    assert outbox.send_due(now=now, backend=limited) == {SmsStatus.QUEUED: 1}
    row.refresh_from_db()
    assert row.attempts == 1 and row.status == SmsStatus.QUEUED
    assert now < row.next_attempt_at <= now + dt.timedelta(minutes=15)
    assert "BUSINESS_LIMIT_CONTROL" in row.last_error
    # Not due yet: nothing is tried.
    assert outbox.send_due(now=now, backend=limited) == {} and limited.calls == 1
    bad = Refusing("isv.MOBILE_NUMBER_ILLEGAL", retryable=False)
    assert outbox.send_due(now=row.next_attempt_at, backend=bad) == {SmsStatus.FAILED: 1}
    row.refresh_from_db()
    assert row.status == SmsStatus.FAILED and row.attempts == 2


def test_opting_out_cancels_queued_texts_and_stops_new_ones(client, form_data, texts):
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    assert outbox.opt_out(case) == 1
    assert outbox.send_due() == {}
    assert texts == []
    assert outbox.queue(case, DeliveryPurpose.REPLY) is None


def test_templates_without_the_link_fit_one_segment(settings):
    """Every template's own words with long parameters fit in one segment; the receipt's and
    answer's link makes a second one at most."""
    long_values = {"ticket": "2026-000123", "code": "7KQ4MNPQRTUV", "otp": "123456", "link": ""}
    for name in outbox.TEMPLATES:
        text = outbox.render(name, long_values)
        assert sms.segments(text, settings.SMS_SIGN_NAME) == 1, name
        link = "https://grid.example.gov.cn/feedback/track/7KQ4MNPQRTUV/"
        assert sms.segments(outbox.render(name, {**long_values, "link": link})) <= 2


def test_a_phone_case_notifies_the_on_duty_worker_and_texts_the_resident(
    grid, routine, centre, workers, texts
):
    """Filed by staff for a phone caller: the routing rules' recipients are e-mailed and the
    resident gets the receipt by SMS."""
    case = file_on_behalf(
        None,
        Source.PHONE,
        category=routine,
        grid=grid,
        subject="电话反映路灯不亮",
        message="三号楼前路灯不亮。",
        contact_phone="13912345678",
    )
    emails = set(Delivery.objects.filter(case=case).values_list("recipient_email", flat=True))
    assert "zhang@example.org" in emails and "centre@example.org" in emails
    outbox.send_due()
    (message,) = texts
    assert message.phone == "13912345678" and case.tracking_code in message.text


def test_the_case_page_logs_texts_with_the_mobile_masked(admin_client, client, form_data):
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    outbox.send_due(backend=Refusing("isv.MOBILE_NUMBER_ILLEGAL", retryable=False))
    page = admin_client.get(f"/admin/cases/{case.pk}/").content.decode()
    assert 'class="sms-delivery" data-status="failed"' in page
    assert "138****1234" in page and "isv.MOBILE_NUMBER_ILLEGAL" in page


def test_the_tracking_page_opts_out_of_texts(client, form_data, texts):
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    url = f"/feedback/track/{case.tracking_code}/"
    assert "不再接收这件诉求的短信" in client.get(url).content.decode()
    response = client.post(url, {"action": "sms_opt_out"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.sms_opt_out
    assert SmsDelivery.objects.get().status == SmsStatus.CANCELLED
    assert "您已退订" in client.get(url).content.decode()
    outbox.send_due()
    assert texts == []


def test_a_code_in_the_query_or_the_path_opens_the_case(client, form_data):
    client.post("/feedback/", form_data())
    case = Feedback.objects.get()
    response = client.get(f"/feedback/track/?code={case.tracking_code.lower()}")
    assert response.status_code == 302
    assert response["Location"] == f"/feedback/track/{case.tracking_code}/"
    assert response["Referrer-Policy"] == "strict-origin"
    page = client.get(response["Location"])
    assert case.ticket_number in page.content.decode()
    assert page["Referrer-Policy"] == "strict-origin"
    assert client.get("/feedback/track/?code=NOPE").status_code == 400


def test_the_receipt_links_to_the_case_and_the_confirmation_says_what_next(
    client, form_data, settings
):
    from post_office.models import Email

    response = client.post("/feedback/", form_data(), follow=True)
    case = Feedback.objects.get()
    link = f"/feedback/track/{case.tracking_code}/"
    receipt = Email.objects.get(to=["resident@example.com"])
    assert f"{settings.WAGTAILADMIN_BASE_URL}{link}" in receipt.message
    page = response.content.decode()
    assert f'href="{link}"' in page and response["Referrer-Policy"] == "strict-origin"
    assert "138****1234" in page and 'id="copy-code"' in page
    assert case.category.deadline_text in page
