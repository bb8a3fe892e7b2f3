"""Periodic jobs of case handling, run by the worker: escalation (督办) of overdue cases,
the daily digest of overdue cases, and retention of closed cases' personal data."""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import mail
from portal.models import JobRun

from ..enums import DeliveryPurpose, RecipientKind, RoleLabel
from ..intake.delivery import case_admin_url
from ..models import Feedback, FeedbackEvent, ServiceCentre
from .notify import public_url, render_case_mail, send_case_mail
from .transitions import OPEN_STATES, centre_for
from .visibility import visible_cases_for_centres

logger = logging.getLogger("feedback.handling.jobs")


def overdue_cases(now=None):
    now = now or timezone.now()
    return Feedback.objects.filter(state__in=OPEN_STATES, deadline__lt=now).select_related(
        "category", "grid", "community"
    )


def escalate_overdue(now=None):
    """E-mail the service-centre head once about each case that passed its deadline."""
    now = now or timezone.now()
    sent = 0
    for case in overdue_cases(now).filter(escalated_at__isnull=True):
        centre = centre_for(case)
        recipient = centre and (centre.head_email or centre.inbox_email)
        with transaction.atomic():
            # Claim the case first, so two workers never escalate it twice.
            if not Feedback.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            FeedbackEvent.objects.create(
                case=case,
                action=_("超期督办"),
                role_label=RoleLabel.SYSTEM,
                note=_("已超过办理时限，已通知社区服务中心负责人督办。"),
                public=True,
            )
            if recipient:
                delivery = send_case_mail(
                    case,
                    recipient,
                    RecipientKind.SERVICE_CENTRE,
                    DeliveryPurpose.ESCALATION,
                    render_case_mail("escalation", case),
                    label=centre.name,
                    once=True,
                )
                sent += delivery is not None
    return sent


def send_digest(now=None):
    """Once a day, e-mail each service centre the list of its overdue cases."""
    now = now or timezone.now()
    run = JobRun.claim("digest", timezone.localtime(now).date())
    if run is None:
        return 0
    sent = 0
    for centre in ServiceCentre.objects.select_related("community"):
        cases = list(
            visible_cases_for_centres([centre])
            .filter(state__in=OPEN_STATES, deadline__lt=now)
            .order_by("deadline")
        )
        recipients = [address for address in {centre.head_email, centre.inbox_email} if address]
        if not cases or not recipients:
            continue
        message = mail.render(
            "feedback/email/overdue_digest",
            {
                "centre": centre,
                "cases": [(case, case_admin_url(case)) for case in cases],
                "index_url": public_url(reverse("feedback_cases:index")) + "?due=overdue",
            },
        )
        mail.queue(sorted(recipients), message)
        sent += 1
    run.details = f"{sent} digests"
    run.save(update_fields=["details"])
    return sent


def apply_retention(now=None):
    """Anonymise contact details and delete photos of cases closed more than N days ago.

    The case rows, their dates, states and ratings stay, so the statistics do not change.
    """
    now = now or timezone.now()
    days = getattr(settings, "FEEDBACK_RETENTION_DAYS", 365)
    limit = now - dt.timedelta(days=days)
    cases = Feedback.objects.filter(closed_at__lt=limit, anonymised_at__isnull=True)
    anonymised = photos = 0
    for case in cases:
        with transaction.atomic():
            for photo in case.photos.all():
                photo.file.delete(save=False)
                photo.delete()
                photos += 1
            case.contact_name = ""
            case.contact_phone = ""
            case.contact_email = ""
            case.anonymised_at = now
            case.save(
                update_fields=[
                    "contact_name",
                    "contact_phone",
                    "contact_email",
                    "anonymised_at",
                    "updated_at",
                ]
            )
            anonymised += 1
    details = (
        f"{anonymised} cases anonymised, {photos} photos deleted (closed before {limit:%Y-%m-%d})"
    )
    JobRun.objects.update_or_create(
        name="retention", day=timezone.localtime(now).date(), defaults={"details": details}
    )
    logger.info("retention: %s", details)
    return anonymised, photos
