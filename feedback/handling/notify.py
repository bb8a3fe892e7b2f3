"""E-mails about a case, through the durable outbox (post_office), each recorded as a Delivery."""

from django.conf import settings
from django.urls import reverse
from post_office import mail

from ..intake.delivery import new_message_id
from ..models import Delivery


def public_url(path):
    """An absolute address on the public site, for links in e-mails."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def tracking_url(case):
    return public_url(reverse("feedback_track_case", args=[case.tracking_code]))


def rating_url(case):
    return public_url(reverse("feedback_rate", args=[case.tracking_code]))


def send_case_mail(case, recipient, role, purpose, subject, body, label="", once=False):
    """Queue one e-mail about `case`; with `once`, do nothing if this recipient already got
    one for this purpose. Returns the Delivery (None when `once` stopped it)."""
    existing = Delivery.objects.filter(case=case, recipient_email=recipient, purpose=purpose)
    if once and existing.exists():
        return None
    # Every Message-ID is made one way, on the domain of the site's public address.
    message_id = new_message_id(case)
    email = mail.send(
        recipients=[recipient],
        sender=settings.DEFAULT_FROM_EMAIL,
        subject=subject,
        message=body,
        headers={"Message-ID": message_id},
        commit=True,
    )
    if existing.exists():
        # One delivery row per recipient and purpose; later e-mails are in the outbox log.
        return existing.first()
    return Delivery.objects.create(
        case=case,
        recipient_email=recipient,
        role=role,
        purpose=purpose,
        recipient_label=label,
        email=email,
        message_id=message_id,
    )
