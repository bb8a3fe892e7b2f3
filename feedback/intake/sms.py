"""Text messages to residents: the SMS outbox, its templates and its retries.

A resident who gives a mobile gets the receipt (ticket number and tracking code), the answer,
the closing notice and the follow-up by SMS, beside any e-mail. Each is queued as one
SmsDelivery row, in the transaction of the event it reports; the row is unique per case,
purpose and mobile, so an event never texts twice. The worker's `send_queued_sms` job sends
what is due and marks each row sent the moment its provider accepts it, so a worker killed
mid-batch re-sends at most the message in flight. A send that failed for a reason time can
mend (rate limits, outages) is retried on the e-mail's schedule; a bad number or an
unapproved template fails at once. A resident may opt out on the tracking page.
"""

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from portal import sms

from ..enums import DeliveryPurpose
from ..models import Feedback, SmsDelivery, SmsStatus
from .delivery import case_url, retry_delay

logger = logging.getLogger("feedback.intake.sms")

# The wording the providers approve (fixed Chinese: a template cannot be translated at send
# time). Parameters are ${name}; Tencent numbers them {1}, {2}… in this order.
TEMPLATES = {
    "receipt": "您的诉求已受理，工单号${ticket}，查询码${code}，查看进度：${link}",
    "reply": "您的诉求${ticket}有了答复，请查看：${link}",
    "closed": "您的诉求${ticket}已办结，欢迎评价：${link}",
    "follow_up": "您的诉求${ticket}有回访答复，请查看：${link}",
    "login_code": "验证码${otp}，10分钟内有效，用于查询本人诉求，请勿告诉他人。",
}
PURPOSE_TEMPLATES = {
    DeliveryPurpose.ACKNOWLEDGEMENT: "receipt",
    DeliveryPurpose.REPLY: "reply",
    DeliveryPurpose.CLOSED: "closed",
    DeliveryPurpose.FOLLOW_UP: "follow_up",
}
PARAM = re.compile(r"\$\{(\w+)\}")
# A claimed row is not picked up again by another sender for this long.
CLAIM_SECONDS = 120


def template_params(template):
    """The parameter names of a template, in order."""
    return PARAM.findall(TEMPLATES[template])


def render(template, params):
    """The text a template gives with these parameters (what the resident will read)."""
    return PARAM.sub(lambda m: str(params.get(m.group(1), "")), TEMPLATES[template])


def message(phone, template, params):
    """A portal.sms.SmsMessage with its parameters in the template's order."""
    ordered = {name: str(params[name]) for name in template_params(template)}
    return sms.SmsMessage(
        phone=phone, template=template, params=ordered, text=render(template, ordered)
    )


def masked_mobile(case):
    """The mobile the resident's texts go to, masked (138****1234), or "" when none will."""
    phone = sms.normalise_mobile(case.contact_phone)
    if not phone or case.sms_opt_out or not enabled():
        return ""
    return f"{phone[:3]}****{phone[-4:]}"


def enabled():
    return getattr(settings, "SMS_ENABLED", True)


def queue(case, purpose):
    """Queue the text for `purpose` about `case` to the resident's mobile; None when there is
    no mobile, the resident opted out, SMS is off, or this event was already texted."""
    phone = sms.normalise_mobile(case.contact_phone)
    if not phone or case.sms_opt_out or not enabled():
        return None
    template = PURPOSE_TEMPLATES[purpose]
    values = {"ticket": case.ticket_number, "code": case.tracking_code, "link": case_url(case)}
    params = {name: values[name] for name in template_params(template)}
    try:
        with transaction.atomic():
            return SmsDelivery.objects.create(
                case=case, phone=phone, purpose=purpose, template=template, params=params
            )
    except IntegrityError:
        return None  # the same event for the same mobile: sent once only


def opt_out(case):
    """The resident wants no more texts about this case: cancel what is still queued."""
    with transaction.atomic():
        Feedback.objects.filter(pk=case.pk).update(sms_opt_out=True)
        case.sms_opt_out = True
        return SmsDelivery.objects.filter(case=case, status=SmsStatus.QUEUED).update(
            status=SmsStatus.CANCELLED
        )


def _claim(pk, now):
    """Take one due row for this sender; False when another sender has it."""
    return SmsDelivery.objects.filter(
        pk=pk, status=SmsStatus.QUEUED, next_attempt_at__lte=now
    ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS))


def send_one(delivery, backend=None, now=None):
    """Send one claimed row and record the outcome at once."""
    now = now or timezone.now()
    attempts = delivery.attempts + 1
    if delivery.case.sms_opt_out:
        SmsDelivery.objects.filter(pk=delivery.pk).update(status=SmsStatus.CANCELLED)
        return SmsStatus.CANCELLED
    try:
        provider_id = sms.send(
            message(delivery.phone, delivery.template, delivery.params), backend=backend
        )
    except sms.SmsError as error:
        max_retries = settings.POST_OFFICE.get("MAX_RETRIES", 8)
        retry = error.retryable and attempts <= max_retries
        status = SmsStatus.QUEUED if retry else SmsStatus.FAILED
        SmsDelivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts,
            status=status,
            last_error=str(error)[:200],
            next_attempt_at=now + retry_delay(attempts) if retry else now,
        )
        logger.warning("SMS %s for %s: %s", delivery.pk, delivery.case.ticket_number, error)
        return status
    SmsDelivery.objects.filter(pk=delivery.pk).update(
        attempts=attempts,
        status=SmsStatus.SENT,
        sent_at=timezone.now(),
        provider_id=str(provider_id)[:100],
        last_error="",
    )
    return SmsStatus.SENT


def send_due(now=None, backend=None, limit=200):
    """Send the due rows one by one, each claimed first and marked as soon as it is sent.
    Returns {status: count}."""
    now = now or timezone.now()
    backend = backend or sms.get_backend()
    due = SmsDelivery.objects.filter(status=SmsStatus.QUEUED, next_attempt_at__lte=now)
    outcome = {}
    for pk in list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]):
        if not _claim(pk, now):
            continue
        delivery = SmsDelivery.objects.select_related("case").get(pk=pk)
        status = send_one(delivery, backend=backend, now=now)
        outcome[status] = outcome.get(status, 0) + 1
    return outcome
