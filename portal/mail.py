"""E-mail: one shape for every message the portal sends (docs/feedback.md, "E-mail format").

- `render(prefix, context)` renders a message from three templates beside each other:
  `<prefix>_subject.txt`, `<prefix>.txt` (the plain text) and `<prefix>.html` (the same content
  as accessible HTML, extending `email/base.html`: lang, a title, headings, real links, no
  images, no remote resources).
- `queue(recipients, message, ...)` puts it in the durable outbox (django-post-office) with both
  parts; the worker sends it.
- `new_message_id(kind, key)` makes every Message-ID the portal sets one way, on the domain of
  the site's public address.
- `OutboxBackend` (settings.EMAIL_BACKEND) queues whatever else sends mail through Django
  (allauth's account e-mails, Wagtail's notifications) and gives a plain-text-only message an
  HTML alternative made from its text on the same base.
- The sending backends (`SMTPBackend`, `ConsoleBackend`, `LocmemBackend`, in
  POST_OFFICE["BACKENDS"]) stamp `Date` at the moment of sending, in settings.TIME_ZONE.
"""

import email.utils
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends import console, locmem, smtp
from django.template.loader import render_to_string
from django.utils import timezone, translation
from post_office import mail as outbox
from post_office.backends import EmailBackend as PostOfficeBackend
from post_office.models import Email
from post_office.signals import email_queued

from . import links


@dataclass(frozen=True)
class Message:
    """A rendered e-mail: one-line subject, plain text, and the same content as HTML."""

    subject: str
    text: str
    html: str


def _context(context):
    return {"site_name": settings.WAGTAIL_SITE_NAME, "base_url": links.base_url(), **context}


def render(prefix, context):
    """The message from `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html`, in the
    site's language."""
    context = _context(context)
    with translation.override(settings.LANGUAGE_CODE):
        # One line: a line break in a header would make the e-mail unsendable.
        subject = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"{prefix}.txt", context)
        html = render_to_string(f"{prefix}.html", context)
    return Message(subject=subject, text=text, html=html)


def text_as_html(subject, text):
    """HTML for a message that has only plain text: its paragraphs and links on the base."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("email/text.html", _context({"subject": subject, "text": text}))


def queue(
    recipients, message, *, headers=None, priority=None, sender=None, message_id=None, commit=True
):
    """Queue `message` (a Message) in the outbox for `recipients`, plain text and HTML.
    `message_id` (from new_message_id) is stored on the outbox row, which is what post_office
    sends on every attempt (a Message-ID in `headers` would be replaced by its own).
    With commit=False the post_office Email is returned unsaved (for bulk_create)."""
    email = outbox.send(
        recipients=recipients,
        sender=sender or settings.DEFAULT_FROM_EMAIL,
        subject=message.subject,
        message=message.text,
        html_message=message.html,
        headers=headers or {},
        priority=priority,
        commit=commit and not message_id,
    )
    if message_id:
        email.message_id = message_id
        if commit:
            email.save()
            email_queued.send(sender=Email, emails=[email])
    return email


def new_message_id(kind, key):
    """A fresh Message-ID naming what the mail is about, e.g.
    <feedback.2026-000123.3f…@grid.example> or <slip.42.3f…@grid.example>."""
    host = urlsplit(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost"
    return f"<{kind}.{key}.{uuid.uuid4().hex}@{host}>"


def _has_html(message):
    return message.content_subtype == "html" or any(
        mimetype == "text/html" for _content, mimetype in getattr(message, "alternatives", [])
    )


def with_html(message):
    """`message`, or a copy of it with an HTML alternative when it has only plain text."""
    if _has_html(message) or not message.body:
        return message
    copy = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=message.from_email,
        to=message.to,
        bcc=message.bcc,
        cc=message.cc,
        reply_to=message.reply_to,
        headers=message.extra_headers,
        attachments=message.attachments,
        connection=message.connection,
    )
    copy.encoding = message.encoding
    copy.attach_alternative(text_as_html(message.subject, message.body), "text/html")
    return copy


class OutboxBackend(PostOfficeBackend):
    """settings.EMAIL_BACKEND: queue in the outbox, every message with an HTML alternative."""

    def send_messages(self, email_messages):
        return super().send_messages([with_html(message) for message in email_messages or []])


def send_date(now=None):
    """The `Date` header for a message sent at `now`, in the site's time zone (+0800)."""
    moment = timezone.localtime(now or timezone.now(), timezone.get_default_timezone())
    return email.utils.format_datetime(moment)


class SendDateMixin:
    """Stamps each message's `Date` as it leaves: the time of sending (a retry a day later
    carries its own time), in settings.TIME_ZONE rather than the process's time zone."""

    def send_messages(self, email_messages):
        date = send_date()
        for message in email_messages:
            for name in [name for name in message.extra_headers if name.lower() == "date"]:
                del message.extra_headers[name]
            message.extra_headers["Date"] = date
        return super().send_messages(email_messages)


class SMTPBackend(SendDateMixin, smtp.EmailBackend):
    """The outbox's sender in production."""


class ConsoleBackend(SendDateMixin, console.EmailBackend):
    """The outbox's sender in development without EMAIL_HOST."""


class LocmemBackend(SendDateMixin, locmem.EmailBackend):
    """The outbox's sender in tests (django.core.mail.outbox)."""
