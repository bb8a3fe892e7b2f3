"""The e-mails of a new case (staff and resident): plain text and accessible HTML, the same
content, links to the exact page on the public address, Date in +0800."""

import email.utils

import pytest
from django.urls import reverse

from feedback.models import Feedback
from tests.mailparts import assert_accessible, parse, parts

pytestmark = pytest.mark.django_db

PUBLIC = "https://grid.example.gov.cn"


@pytest.fixture
def sent(client, form_data, settings, send_outbox, mailoutbox):
    """A case submitted through the form with the resident's e-mail, its mails sent:
    (case, {recipient: sent message})."""
    settings.PORTAL_BASE_URL = PUBLIC
    response = client.post("/feedback/", form_data())
    assert response.status_code == 302
    send_outbox()
    case = Feedback.objects.order_by("-pk").first()
    return case, {message.to[0]: message for message in mailoutbox}


def test_staff_mail_has_both_parts_with_the_ticket_and_the_admin_link(sent):
    """Staff get text and HTML, each with the ticket and the link to the case in the admin."""
    case, messages = sent
    text, html = parts(messages["zhang@example.org"])
    page = assert_accessible(html)
    admin = PUBLIC + reverse("feedback_cases:edit", args=[case.pk])
    assert admin in text and admin in page.links
    assert case.ticket_number in text and case.ticket_number in page.all_text
    assert case.subject in page.all_text and "希望家园3号楼东侧" in page.all_text


def test_staff_html_holds_no_contact_details(sent):
    """As the plain text, the staff HTML names none of the resident's contact details."""
    case, messages = sent
    _text, html = parts(messages["zhang@example.org"])
    for private in ("王女士", "13800001234", "resident@example.com", case.tracking_code):
        assert private not in html


def test_acknowledgement_links_the_residents_own_case_in_both_parts(sent):
    """The resident's receipt opens their case (tracking page with its code) from either part."""
    case, messages = sent
    text, html = parts(messages["resident@example.com"])
    page = assert_accessible(html)
    tracking = PUBLIC + reverse("feedback_track_case", args=[case.tracking_code])
    assert tracking in text and page.links.get(tracking) == "查看办理进度"
    assert case.ticket_number in page.all_text and case.tracking_code in page.all_text


def test_case_mails_keep_their_message_id_and_carry_a_date_in_the_sites_zone(sent):
    """Message-ID (for threading) survives the HTML part; Date parses to a +08:00 time."""
    case, messages = sent
    for delivery in case.deliveries.all():
        parsed = parse(messages[delivery.recipient_email])
        assert parsed["Message-ID"] == delivery.message_id
        date = email.utils.parsedate_to_datetime(parsed["Date"])
        assert date.utcoffset().total_seconds() == 8 * 3600


def test_a_later_case_mail_is_sent_with_the_message_id_of_its_delivery(
    sent, send_outbox, mailoutbox
):
    """A mail sent after the receipts (a follow-up) carries the Message-ID its Delivery records."""
    from feedback.enums import DeliveryPurpose, RecipientKind
    from feedback.handling.notify import render_case_mail, send_case_mail

    case, _messages = sent
    mailoutbox.clear()
    delivery = send_case_mail(
        case,
        "neighbour@example.net",
        RecipientKind.RESIDENT,
        DeliveryPurpose.FOLLOW_UP,
        render_case_mail("follow_up", case, reply="已回访"),
    )
    send_outbox()
    (message,) = mailoutbox
    assert parse(message)["Message-ID"] == delivery.message_id
