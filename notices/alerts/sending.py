"""Sending alerts through the outbox: confirmation and manage-link mails at once, new pages at
once (urgent notices to every subscription that wants them, whatever its frequency) or in the
daily digest. The worker runs `send_alerts` and `send_alert_digest` (settings
PORTAL_WORKER_JOBS); each page goes to each subscription once (`AlertDelivery`), and only to
confirmed subscriptions."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import mail
from portal.links import absolute

from ..enums import AlertFrequency
from ..models import AlertDelivery, AlertSubscription
from . import tokens
from .channels import channel_for
from .matching import alert_pages, is_urgent, subscriptions_for

# Pages first published longer ago than this are not sent (a worker stopped for days does not
# flood subscribers with old news when it starts again).
LOOKBACK = dt.timedelta(days=2)


def link(name, kind, pk, address):
    return absolute(reverse(f"alerts:{name}", args=[tokens.make(kind, pk, address)]))


def manage_url(subscriber):
    return link("manage", "manage", subscriber.pk, subscriber.address)


def unsubscribe_url(subscription):
    return link("unsubscribe", "unsubscribe", subscription.pk, subscription.subscriber.address)


def _render(name, context):
    """The message from templates/notices/alerts/email/<name>(_subject).txt and .html."""
    return mail.render(f"notices/alerts/email/{name}", context)


def send_confirmation(subscription):
    """The one mail an unconfirmed address is ever sent: the link that confirms."""
    subscriber = subscription.subscriber
    message = _render(
        "confirm",
        {
            "subscription": subscription,
            "confirm_url": link("confirm", "confirm", subscription.pk, subscriber.address),
            "days": tokens.CONFIRM_DAYS,
        },
    )
    channel_for(subscriber).send(subscriber.address, message)


def send_manage_link(subscriber):
    """The link to a subscriber's list, to a subscriber with a confirmed subscription only."""
    if not subscriber.subscriptions.filter(confirmed_at__isnull=False).exists():
        return False
    message = _render("manage_link", {"manage_url": manage_url(subscriber)})
    channel_for(subscriber).send(subscriber.address, message)
    return True


def _deliver(subscription, pages, template, urgent=False):
    """Record the pages as sent to the subscription and queue its mail, in one transaction;
    nothing when another run recorded any of them first."""
    subscriber = subscription.subscriber
    context = {
        "subscription": subscription,
        "pages": [(page, absolute(page.get_url())) for page in pages],
        "manage_url": manage_url(subscriber),
        "unsubscribe_url": unsubscribe_url(subscription),
        "urgent": urgent,
    }
    message = _render(template, context)
    try:
        with transaction.atomic():
            AlertDelivery.objects.bulk_create(
                [AlertDelivery(subscription=subscription, page=page) for page in pages]
            )
            channel_for(subscriber).send(
                subscriber.address,
                message,
                unsubscribe_url=context["unsubscribe_url"],
                urgent=urgent,
            )
    except IntegrityError:
        return False
    return True


def send_page(page):
    """Queue `page`'s alert to each subscription that takes it now and has not had it."""
    urgent = is_urgent(page)
    found = subscriptions_for(page).exclude(deliveries__page=page)
    if not urgent:
        found = found.filter(frequency=AlertFrequency.IMMEDIATE)
    return sum(_deliver(subscription, [page], "alert", urgent) for subscription in found)


def send_immediate(now=None):
    """The worker's `send_alerts`: every page published lately, to whom it goes at once."""
    now = now or timezone.now()
    return sum(send_page(page) for page in alert_pages(now - LOOKBACK))


def send_digests(now=None):
    """The worker's `send_alert_digest`: from NOTICES_ALERT_DIGEST_HOUR on, each daily
    subscription not yet sent today gets one mail with what it has not had (none when there is
    nothing new)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.NOTICES_ALERT_DIGEST_HOUR:
        return 0
    today = local.date()
    due = AlertSubscription.objects.filter(
        confirmed_at__isnull=False, frequency=AlertFrequency.DAILY
    ).filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
    if not due.exists():
        return 0
    wanted = {}
    for page in alert_pages(now - LOOKBACK):
        found = (
            subscriptions_for(page)
            .filter(frequency=AlertFrequency.DAILY)
            .exclude(deliveries__page=page)
        )
        for pk in found.values_list("pk", flat=True):
            wanted.setdefault(pk, []).append(page)
    sent = 0
    for subscription in due.select_related("subscriber"):
        pages = wanted.get(subscription.pk, [])
        if pages:
            sent += _deliver(subscription, pages, "digest")
        AlertSubscription.objects.filter(pk=subscription.pk).update(last_digest_on=today)
    return sent
