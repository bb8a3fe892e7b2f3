"""Handover slips (工作单): sending one to a line through the outbox, the line's acknowledgement
and result through a link with a token, and the escalation (督办) of overdue slips.

States: sent (已发送) → acknowledged (已签收) → done (已办结). The deadline is the line's number
of working days from sending, on the working calendar (portal.calendar). Every step is a
HandoverSlipEvent, the slip's handover record (交接记录).
"""

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.models import ServiceCentre
from portal import links, mail
from portal.calendar import add_working_days

from .models import HandoverSlip, HandoverSlipEvent, SlipState
from .models.slips import hash_token

logger = logging.getLogger("fieldwork.handover")
# The end of a slip's last day, in local time.
END_OF_DAY = dt.time(17, 0)


class SlipError(Exception):
    """A step the slip's state does not allow."""


def public_url(path):
    return links.absolute(path)


def ack_url(token):
    """The link the line's contact opens to acknowledge the slip and report its result."""
    return public_url(reverse("fieldwork_slip_ack", args=[token]))


def slip_admin_url(slip):
    """The slip's page in the admin, for staff."""
    return public_url(reverse("fieldwork_slips:edit", args=[slip.pk]))


def deadline_for(line, moment):
    day = add_working_days(moment, max(line.deadline_days, 1))
    return timezone.make_aware(
        dt.datetime.combine(day, END_OF_DAY), timezone.get_current_timezone()
    )


def _record(slip, action, state="", actor=None, label="", note=""):
    return HandoverSlipEvent.objects.create(
        slip=slip, action=action, state=state, actor=actor, actor_label=label[:60], note=note
    )


def _mail(recipients, name, slip, **context):
    """Queue the message templates/fieldwork/email/<name> about `slip` to `recipients`."""
    message = mail.render(f"fieldwork/email/{name}", {"slip": slip, **context})
    return mail.queue(recipients, message, message_id=mail.new_message_id("slip", slip.pk))


def send_slip(actor, *, line, grid, subject, details, place="", finding=None, case=None, now=None):
    """Save a slip, queue its e-mail to the line's contact and start its handover record."""
    now = now or timezone.now()
    with transaction.atomic():
        slip = HandoverSlip(
            line=line,
            grid=grid,
            subject=subject,
            details=details,
            place=place,
            finding=finding,
            case=case,
            created_by=actor,
            created_at=now,
            deadline=deadline_for(line, now),
        )
        token = slip.set_token()
        slip.save()
        slip.email = _mail([line.email], "slip", slip, ack_url=ack_url(token))
        slip.save(update_fields=["email"])
        _record(
            slip,
            _("发出"),
            SlipState.SENT,
            actor=actor,
            note=_("发送到%(line)s（%(email)s）") % {"line": line.name, "email": line.email},
        )
    return slip


def slip_for_token(token):
    """The slip whose acknowledgement token is `token`, or None."""
    if not token:
        return None
    return (
        HandoverSlip.objects.select_related("line", "grid")
        .filter(token_hash=hash_token(token))
        .first()
    )


def acknowledge(slip, name, note="", now=None):
    """The line's contact signs for the slip (签收)."""
    now = now or timezone.now()
    with transaction.atomic():
        slip = HandoverSlip.objects.select_for_update().get(pk=slip.pk)
        if slip.state != SlipState.SENT:
            raise SlipError(_("这份工作单已经签收。"))
        slip.state = SlipState.ACKNOWLEDGED
        slip.acknowledged_at = now
        slip.acknowledged_by = name
        slip.save(update_fields=["state", "acknowledged_at", "acknowledged_by"])
        _record(slip, _("签收"), SlipState.ACKNOWLEDGED, label=name, note=note)
    return slip


def complete(slip, result, name="", actor=None, now=None):
    """The line reports the result (办结); staff may record it for them too."""
    now = now or timezone.now()
    with transaction.atomic():
        slip = HandoverSlip.objects.select_for_update().get(pk=slip.pk)
        if slip.state == SlipState.DONE:
            raise SlipError(_("这份工作单已经办结。"))
        if slip.acknowledged_at is None:
            slip.acknowledged_at = now
            slip.acknowledged_by = name
        slip.state = SlipState.DONE
        slip.done_at = now
        slip.result = result
        slip.save(
            update_fields=["state", "acknowledged_at", "acknowledged_by", "done_at", "result"]
        )
        _record(slip, _("办结"), SlipState.DONE, actor=actor, label=name, note=result)
    return slip


def overdue_slips(now=None):
    now = now or timezone.now()
    return HandoverSlip.objects.exclude(state=SlipState.DONE).filter(deadline__lt=now)


def centre_for_grid(grid):
    """The service centre of the grid's community (or the default centre)."""
    return ServiceCentre.for_community(grid.community() if grid else None)


def escalate_overdue_slips(now=None):
    """Once per slip past its deadline: record it, e-mail the service-centre head (督办) and
    remind the line's contact. Returns how many slips were escalated."""
    now = now or timezone.now()
    escalated = 0
    for slip in overdue_slips(now).filter(escalated_at__isnull=True).select_related("line", "grid"):
        centre = centre_for_grid(slip.grid)
        head = centre and (centre.head_email or centre.inbox_email)
        with transaction.atomic():
            # Claim the slip first, so two workers never escalate it twice.
            if not HandoverSlip.objects.filter(pk=slip.pk, escalated_at__isnull=True).update(
                escalated_at=now
            ):
                continue
            _record(
                slip,
                _("超期督办"),
                note=_("已超过办理时限，已通知社区服务中心负责人督办并提醒条线。"),
            )
            if head:
                _mail([head], "slip_escalation", slip, admin_url=slip_admin_url(slip))
            _mail([slip.line.email], "slip_overdue", slip)
        escalated += 1
    logger.info("escalated %s overdue slips", escalated)
    return escalated
