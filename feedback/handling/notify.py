"""E-mails about a case, through the durable outbox (post_office), each recorded as a Delivery.
Each is rendered by portal.mail from templates/feedback/email/<name>(_subject).txt and .html."""

from django.urls import reverse

from portal import links, mail

from ..intake.delivery import case_admin_url, new_message_id
from ..models import Delivery


def public_url(path):
    """An absolute address on the public site, for links in e-mails."""
    return links.absolute(path)


def tracking_url(case):
    return public_url(reverse("feedback_track_case", args=[case.tracking_code]))


def rating_url(case):
    return public_url(reverse("feedback_rate", args=[case.tracking_code]))


def render_case_mail(name, case, **context):
    """The message `name` about `case`, with the case's links: `case_url` and `rate_url` (the
    resident's own, they hold the tracking code) and `admin_url` (staff)."""
    return mail.render(
        f"feedback/email/{name}",
        {
            "case": case,
            "case_url": tracking_url(case),
            "rate_url": rating_url(case),
            "admin_url": case_admin_url(case),
            **context,
        },
    )


def send_case_mail(case, recipient, role, purpose, message, label="", once=False):
    """Queue one e-mail (`message`, from render_case_mail) about `case`; with `once`, do nothing
    if this recipient already got one for this purpose. Returns the Delivery (None when `once`
    stopped it)."""
    existing = Delivery.objects.filter(case=case, recipient_email=recipient, purpose=purpose)
    if once and existing.exists():
        return None
    # Every Message-ID is made one way, on the domain of the site's public address.
    message_id = new_message_id(case)
    email = mail.queue([recipient], message, message_id=message_id)
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
