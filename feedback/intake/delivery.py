"""Delivery through the durable outbox (django-post-office), and its retry schedule.

Each recipient of a case gets one queued e-mail (a Delivery row pointing at the post_office
Email), queued in the transaction that saves the case. Every e-mail carries a Message-ID made
once per delivery and stored on the Email row, so a resend after a crash is recognisable as
the same message. Failed sends are retried on a growing schedule (RETRY_SCHEDULE), the first
within a minute, for about a day before post_office marks the e-mail failed. The outbox is sent
one e-mail per batch (POST_OFFICE BATCH_SIZE 1), so each is marked sent as soon as it is sent
and a worker killed mid-run re-sends at most the e-mail in flight.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from post_office.models import STATUS, Email
from post_office.signals import email_queued

from portal import links, mail

from ..enums import DeliveryPurpose, RecipientKind
from ..models import Delivery

# Minutes to wait before retry n (1-based); post_office's RETRY_INTERVAL (1 minute) sets the
# first wait, this schedule replaces the later ones: a short outage delays a message by
# minutes, a long one is still retried for a day. Sum: 1+5+15+30+60+120+240+480+540 minutes
# = 24.85 h before "failed" (MAX_RETRIES 9). The SMS outbox uses the same schedule.
RETRY_SCHEDULE_MINUTES = [1, 5, 15, 30, 60, 120, 240, 480, 540]


def retry_delay(number_of_retries):
    """The wait before retry number `number_of_retries` (1 = the first retry)."""
    index = min(max(number_of_retries, 1), len(RETRY_SCHEDULE_MINUTES)) - 1
    return dt.timedelta(minutes=RETRY_SCHEDULE_MINUTES[index])


def total_retry_window(max_retries=None):
    """How long an undeliverable e-mail keeps being retried before it is marked failed."""
    max_retries = settings.POST_OFFICE.get("MAX_RETRIES", 0) if max_retries is None else max_retries
    return sum((retry_delay(n) for n in range(1, max_retries + 1)), dt.timedelta())


def apply_retry_schedule():
    """Move each requeued e-mail's next attempt to its place on the growing schedule.

    post_office requeues a failed e-mail at a fixed interval and sets `last_updated` to the
    time of failure; the next attempt belongs at last_updated + retry_delay(number_of_retries).
    Idempotent: e-mails already at their place are not touched. Returns how many moved.
    """
    moved = 0
    requeued = Email.objects.filter(status=STATUS.requeued, number_of_retries__gte=1)
    for email in requeued.only("pk", "number_of_retries", "last_updated", "scheduled_time"):
        target = email.last_updated + retry_delay(email.number_of_retries)
        if email.scheduled_time != target:
            Email.objects.filter(pk=email.pk, status=STATUS.requeued).update(scheduled_time=target)
            moved += 1
    return moved


def new_message_id(case):
    """A Message-ID for one delivery, e.g. <feedback.2026-000123.3f…@grid.example>."""
    return mail.new_message_id("feedback", case.ticket_number)


def case_admin_url(case):
    """The absolute link to the case in the admin, on the site's public address."""
    return links.absolute(reverse("feedback_cases:edit", args=[case.pk]))


def case_url(case):
    """The absolute link that opens the case on the tracking page: it holds the resident's own
    code, so it goes only to the resident (receipt, answer, follow-up)."""
    return links.absolute(reverse("feedback_track_case", args=[case.tracking_code]))


def _message(case, recipient_email, role, label, purpose, message):
    """One delivery and its outbox e-mail (`message`, a portal.mail.Message), not yet saved."""
    delivery = Delivery(
        case=case,
        recipient_email=recipient_email,
        role=role,
        recipient_label=label[:120],
        purpose=purpose,
        message_id=new_message_id(case),
    )
    delivery.email = mail.queue(
        [recipient_email],
        message,
        priority="medium",
        headers={"X-Feedback-Ticket": case.ticket_number},
        # Stored on the row: post_office sends it on every attempt.
        message_id=delivery.message_id,
        commit=False,
    )
    return delivery


def _queue_all(deliveries):
    """Save the e-mails and their deliveries, two inserts in all (as post_office's send_many)."""
    emails = [delivery.email for delivery in deliveries]
    if emails:
        Email.objects.bulk_create(emails)
        # Each delivery takes its e-mail's new primary key as it is saved.
        Delivery.objects.bulk_create(deliveries)
        email_queued.send(sender=Email, emails=emails)
    return deliveries


def new_case_messages(case, recipients):
    """The staff e-mails of a new case, one per recipient (unsaved); `recipients` as found by
    feedback.intake.recipients."""
    message = mail.render(
        "feedback/email/new_case", {"case": case, "admin_url": case_admin_url(case)}
    )
    return [
        _message(case, r.email, r.role, r.label, DeliveryPurpose.NEW_CASE, message)
        for r in recipients
    ]


def acknowledgement_messages(case, page_url=""):
    """The acknowledgement to the resident, when they gave an e-mail address (unsaved)."""
    if not case.contact_email:
        return []
    message = mail.render(
        "feedback/email/acknowledgement",
        {"case": case, "page_url": page_url, "case_url": case_url(case)},
    )
    return [
        _message(
            case,
            case.contact_email,
            RecipientKind.RESIDENT,
            "",
            DeliveryPurpose.ACKNOWLEDGEMENT,
            message,
        )
    ]


def queue_case_received(case, recipients, page_url=""):
    """Queue every e-mail about a case just received: staff (`recipients`, as found by
    feedback.intake.recipients) and the resident's acknowledgement."""
    return _queue_all(
        new_case_messages(case, recipients) + acknowledgement_messages(case, page_url)
    )


def failed_deliveries(cases=None):
    """Deliveries whose e-mail post_office has given up on, newest first; only those about
    `cases` when given (staff pages pass feedback.handling.visibility.visible_cases(user))."""
    deliveries = Delivery.objects.filter(email__status=STATUS.failed)
    if cases is not None:
        deliveries = deliveries.filter(case__in=cases)
    return deliveries.select_related("case", "email").order_by("-email__last_updated", "-pk")


def delivery_state(delivery):
    """(state label, attempts, time sent or None, error log) of a delivery, for the admin."""
    email = delivery.email
    if email is None:
        return {"status": None, "attempts": 0, "sent_at": None, "logs": []}
    logs = list(email.logs.order_by("date"))
    sent = [log.date for log in logs if log.status == STATUS.sent]
    attempts = len(logs) if logs else (email.number_of_retries or 0)
    return {
        "status": email.get_status_display() if email.status is not None else "",
        "status_code": email.status,
        "attempts": attempts,
        "sent_at": sent[-1] if sent else None,
        "next_attempt": email.scheduled_time if email.status == STATUS.requeued else None,
        "logs": [log for log in logs if log.status == STATUS.failed],
    }
