"""Saving a new case: one transaction for the case, its photos, its first event and its e-mails."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CaseState, DeliveryPurpose, RoleLabel, Source
from ..models import Feedback, FeedbackEvent, FeedbackPhoto
from . import sms
from .delivery import queue_case_received
from .recipients import recipients_for

# What `receive_form` passes from a FeedbackForm's cleaned data as it is.
FORM_FIELDS = (
    "category",
    "subject",
    "message",
    "place",
    "contact_name",
    "contact_phone",
    "contact_email",
    "public_consent",
)


def receive_form(data, **extra):
    """`receive` the cleaned data of a FeedbackForm (feedback.intake.forms), whatever channel
    it came through (the web form, Open311): its grid field gives the grid and the community;
    `extra` are the channel's own arguments (source, submitter, page_url…)."""
    grid, community = data["grid"]
    return receive(
        grid=grid,
        community=community,
        publicity=data.get("publicity"),
        photos=data.get("photos") or (),
        **{name: data[name] for name in FORM_FIELDS},
        **extra,
    )


def receive(
    *,
    category,
    subject,
    message,
    grid=None,
    community=None,
    place="",
    contact_name="",
    contact_phone="",
    contact_email="",
    publicity=None,
    public_consent=False,
    photos=(),
    submitter=None,
    source=Source.WEB,
    actor=None,
    page_url="",
    received_at=None,
):
    """Save a new case with its photos (CleanPhoto list), first event and queued e-mails.

    Everything is in one transaction: either the resident's case and every e-mail about it
    are saved together, or nothing is (and the resident sees an error, not a confirmation).
    """
    if grid is not None and community is None:
        community = grid.community()
    case = Feedback(
        category=category,
        subject=subject,
        message=message,
        grid=grid,
        community=community,
        place=place,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        publicity=publicity,
        public_consent=bool(public_consent),
        submitter=submitter if getattr(submitter, "pk", None) else None,
        source=source,
        state=CaseState.RECEIVED,
        created_at=received_at or timezone.now(),
    )
    # What needs only reading is done before the transaction: it holds the database's write
    # lock (SQLite) and the ticket counter's row lock (PostgreSQL) that every submission waits
    # for, so it should hold them for the inserts alone.
    case.deadline = category.deadline_from(case.created_at)
    recipients = recipients_for(case)
    records = []
    try:
        # The photo files are written first (a failure below deletes them again).
        for photo in photos:
            record = FeedbackPhoto(
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size=len(photo.content),
            )
            record.file.save(
                f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
            )
            records.append(record)
        with transaction.atomic():
            case.save()
            for record in records:
                record.case = case
            FeedbackPhoto.objects.bulk_create(records)
            FeedbackEvent.objects.create(
                case=case,
                state=CaseState.RECEIVED,
                action=str(_("受理")),
                actor=actor,
                # Filed by staff for a resident who phoned or came in; otherwise by the resident
                # (on the form, or through an app or platform on the Open311 interface).
                role_label=RoleLabel.SERVICE_CENTRE
                if source in (Source.PHONE, Source.WALK_IN)
                else RoleLabel.RESIDENT,
                note=str(_("诉求已受理，正在转送网格员和社区服务中心。")),
                public=True,
                at=case.created_at,
            )
            queue_case_received(case, recipients, page_url=page_url)
            sms.queue(case, DeliveryPurpose.ACKNOWLEDGEMENT)
    except Exception:
        # Nothing of the case was kept, so neither are its photo files.
        for record in records:
            record.file.storage.delete(record.file.name)
        raise
    return case
