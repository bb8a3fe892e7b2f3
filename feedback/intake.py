"""Saving a new case: one transaction for the case, its photos, its first event and its e-mails."""

import uuid

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .delivery import queue_case_received
from .enums import CaseState, RoleLabel, Source
from .models import Feedback, FeedbackEvent, FeedbackPhoto


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
    stored_files = []
    try:
        with transaction.atomic():
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
                submitter=submitter if getattr(submitter, "pk", None) else None,
                source=source,
                state=CaseState.RECEIVED,
                created_at=received_at or timezone.now(),
            )
            case.save()
            for photo in photos:
                record = FeedbackPhoto(
                    case=case,
                    content_type=photo.content_type,
                    width=photo.width,
                    height=photo.height,
                    size=len(photo.content),
                )
                record.file.save(
                    f"{uuid.uuid4().hex}.{photo.extension}",
                    ContentFile(photo.content),
                    save=False,
                )
                stored_files.append(record.file)
                record.save()
            FeedbackEvent.objects.create(
                case=case,
                state=CaseState.RECEIVED,
                action=str(_("受理")),
                actor=actor,
                role_label=RoleLabel.RESIDENT if source == Source.WEB else RoleLabel.SERVICE_CENTRE,
                note=str(_("诉求已受理，正在转送网格员和社区服务中心。")),
                public=True,
                at=case.created_at,
            )
            queue_case_received(case, page_url=page_url)
    except Exception:
        # Nothing of the case was kept, so neither are its photo files.
        for stored in stored_files:
            stored.storage.delete(stored.name)
        raise
    return case
