"""Staff's side of a rating: the follow-up visit (回访) that a poor rating opens, and appeals
(申诉) against a rating, decided by someone other than the appellant. The rating itself stays on
record either way; residents rate through feedback.public.ratings."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.calendar import add_working_days

from ..enums import AppealDecision, DeliveryPurpose, RecipientKind, RoleLabel
from ..intake import sms
from ..models import FeedbackEvent, FollowUp, RatingAppeal
from .notify import render_case_mail, send_case_mail
from .transitions import centre_for
from .visibility import can_see, is_centre_head


class RatingError(Exception):
    """A rating or appeal that is not allowed; the message is shown to the user."""


def follow_up_working_days():
    return getattr(settings, "FEEDBACK_FOLLOW_UP_WORKING_DAYS", 15)


def open_follow_up(case, now=None):
    """A follow-up for the service centre, due within N working days (end of that day)."""
    now = now or timezone.now()
    day = add_working_days(now, follow_up_working_days())
    due = timezone.make_aware(
        dt.datetime.combine(day, dt.time(17, 0)), timezone.get_current_timezone()
    )
    follow_up, _created = FollowUp.objects.get_or_create(
        case=case, defaults={"due_at": due, "centre": centre_for(case)}
    )
    FeedbackEvent.objects.create(
        case=case,
        action=_("回访"),
        role_label=RoleLabel.SERVICE_CENTRE,
        note=_("社区服务中心将在期限内回访。"),
    )
    return follow_up


def complete_follow_up(follow_up, actor, visit_note, rectification, reply_text):
    """Record the return visit, the rectification and the reply to the resident on the case."""
    if not all(text.strip() for text in (visit_note, rectification, reply_text)):
        raise RatingError(_("请填写回访情况、整改情况和答复居民的内容。"))
    case = follow_up.case
    if not can_see(actor, case):
        raise RatingError(_("您无权办理这件诉求。"))
    with transaction.atomic():
        follow_up.visit_note = visit_note.strip()
        follow_up.rectification = rectification.strip()
        follow_up.reply = reply_text.strip()
        follow_up.completed_by = actor
        follow_up.completed_at = timezone.now()
        follow_up.save()
        FeedbackEvent.objects.create(
            case=case,
            action=_("回访答复"),
            actor=actor,
            role_label=RoleLabel.SERVICE_CENTRE,
            note=follow_up.reply,
        )
        if case.contact_email:
            send_case_mail(
                case,
                case.contact_email,
                RecipientKind.RESIDENT,
                DeliveryPurpose.FOLLOW_UP,
                render_case_mail("follow_up", case, reply=follow_up.reply),
            )
        sms.queue(case, DeliveryPurpose.FOLLOW_UP)
    return follow_up


def appeal(rating, actor, reason):
    """Staff appeal a rating with a reason; one open appeal at a time."""
    reason = (reason or "").strip()
    if not reason:
        raise RatingError(_("申诉需要填写理由。"))
    if not can_see(actor, rating.case):
        raise RatingError(_("您无权办理这件诉求。"))
    if rating.appeals.filter(decision=AppealDecision.PENDING).exists():
        raise RatingError(_("已有一份待复核的申诉。"))
    appeal = RatingAppeal.objects.create(rating=rating, reason=reason, filed_by=actor)
    FeedbackEvent.objects.create(
        case=rating.case, action=_("评价申诉"), actor=actor, note=reason, public=False
    )
    return appeal


def decide_appeal(appeal, reviewer, overturn, note=""):
    """A reviewer (centre head or administrator, not the appellant) upholds or overturns; the
    rating stays on record, an overturned one is left out of the statistics."""
    if not is_centre_head(reviewer, appeal.rating.case):
        raise RatingError(_("只有社区服务中心负责人或管理员可以复核申诉。"))
    if appeal.filed_by_id == reviewer.pk:
        raise RatingError(_("不能复核自己提出的申诉。"))
    if appeal.decision != AppealDecision.PENDING:
        raise RatingError(_("这份申诉已经复核过了。"))
    appeal.decision = AppealDecision.OVERTURNED if overturn else AppealDecision.UPHELD
    appeal.reviewer = reviewer
    appeal.decision_note = (note or "").strip()
    appeal.decided_at = timezone.now()
    appeal.save()
    FeedbackEvent.objects.create(
        case=appeal.rating.case,
        action=_("申诉复核"),
        actor=reviewer,
        note=f"{appeal.get_decision_display()} {appeal.decision_note}".strip(),
        public=False,
    )
    return appeal
