"""The case flow (state machine): 受理 → 派遣 → 处置 → 核查 → 办结 → 评价, and the side paths.

Every transition checks the current state, records who, when and a note on the timeline, and
is refused with a clear message otherwise. A case is never closed without the verification
step, and verification (核查) is done by someone other than the person who handled the case:
an account in one of the roles FEEDBACK_VERIFIER_ROLES names (by default the service centre and
administrators) that is neither the case's assignee nor the one who started handling it. The
first staff member who acts on a case becomes its owner (首问负责) and stays so through
reassignments until it closes.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import roles
from portal.calendar import add_working_days

from ..enums import CaseState, DeliveryPurpose, ExtensionState, RecipientKind, RoleLabel
from ..intake import sms
from ..intake.delivery import queue_case_received
from ..intake.recipients import recipients_for
from ..models import ExtensionRequest, Feedback, FeedbackEvent
from .notify import render_case_mail, send_case_mail
from .visibility import can_see, centres_seeing, is_centre_head, is_centre_staff

S = CaseState
OPEN_STATES = [S.RECEIVED, S.DISPATCHED, S.IN_PROGRESS, S.EXTENDED, S.VERIFIED, S.REOPENED]
DONE_STATES = [S.CLOSED, S.RATED]

# action: (states it may start from, state it leads to, a note is required)
TRANSITIONS = {
    "dispatch": ({S.RECEIVED, S.REOPENED}, S.DISPATCHED, False),
    "start": ({S.DISPATCHED, S.REOPENED}, S.IN_PROGRESS, False),
    "verify": ({S.IN_PROGRESS, S.EXTENDED}, S.VERIFIED, True),
    "reject_verification": ({S.VERIFIED}, S.IN_PROGRESS, True),
    "close": ({S.VERIFIED}, S.CLOSED, False),
    "return": ({S.RECEIVED, S.DISPATCHED}, S.RETURNED, True),
    "reopen": ({S.CLOSED, S.RATED, S.RETURNED}, S.REOPENED, True),
    "extend": ({S.DISPATCHED, S.IN_PROGRESS}, S.EXTENDED, True),
    "rate": ({S.CLOSED}, S.RATED, False),
}
ACTION_LABELS = {
    "dispatch": gettext_lazy("派遣"),
    "start": gettext_lazy("开始处置"),
    "verify": gettext_lazy("核查通过"),
    "reject_verification": gettext_lazy("核查未通过"),
    "close": gettext_lazy("办结"),
    "return": gettext_lazy("退回"),
    "reopen": gettext_lazy("重新办理"),
    "extend": gettext_lazy("延期"),
    "rate": gettext_lazy("评价"),
}
# Actions staff choose from on the case page (extend and rate happen through their own forms).
STAFF_ACTIONS = ["dispatch", "start", "verify", "reject_verification", "close", "return", "reopen"]
# The verification (核查) decisions: passed or not passed. Only a verifier takes them.
VERIFICATION_ACTIONS = {"verify", "reject_verification"}


class TransitionError(Exception):
    """A transition that is not allowed; the message is shown to the user."""


def role_label_for(user):
    """The role residents see beside a step (never the staff member's name)."""
    if user is None:
        return RoleLabel.SYSTEM
    if is_centre_staff(user) or user.groups.filter(name=roles.SERVICE_CENTRE_STAFF).exists():
        return RoleLabel.SERVICE_CENTRE
    if user.groups.filter(name=roles.GRID_WORKERS).exists():
        return RoleLabel.GRID_WORKER
    return RoleLabel.SERVICE_CENTRE


def verifier_roles():
    """The roles (group names) whose members may verify a case they did not handle."""
    return list(
        getattr(
            settings,
            "FEEDBACK_VERIFIER_ROLES",
            [roles.SERVICE_CENTRE_STAFF, roles.ADMINISTRATORS],
        )
    )


def verification_refusal(user, case):
    """Why `user` may not verify `case` (a message for the user), or None when they may."""
    allowed = verifier_roles()
    in_role = user is not None and (
        (user.is_superuser and roles.ADMINISTRATORS in allowed)
        or user.groups.filter(name__in=allowed).exists()
    )
    if not in_role:
        return _("核查须由%(roles)s进行，办理人不能核查自己办理的诉求。") % {
            "roles": "、".join(allowed) or _("指定角色")
        }
    if user.pk in (case.assignee_id, case.handled_by_id):
        return _("您是这件诉求的承办人或处置人，不能核查自己办理的诉求，请由其他工作人员核查。")
    return None


def allowed_actions(case, user=None):
    """The staff actions possible from the case's current state (for `user`, when given)."""
    names = [name for name in STAFF_ACTIONS if case.state in TRANSITIONS[name][0]]
    if user is not None and verification_refusal(user, case):
        names = [name for name in names if name not in VERIFICATION_ACTIONS]
    return names


def is_overdue(case, now=None):
    now = now or timezone.now()
    return case.state in OPEN_STATES and case.deadline is not None and case.deadline < now


def _record(case, action, actor, note, state="", public=True, role=None):
    return FeedbackEvent.objects.create(
        case=case,
        state=state,
        action=str(ACTION_LABELS.get(action, action)),
        actor=actor,
        role_label=role or role_label_for(actor),
        note=note,
        public=public,
    )


def _take_ownership(case, actor):
    if case.owner_id is None and actor is not None:
        case.owner = actor


def transition(case, action, actor, note="", assignee=None, check_access=True, public_note=True):
    """Move `case` by `action`, recording who, when and the note; raises TransitionError."""
    if action not in TRANSITIONS:
        raise TransitionError(_("未知的操作。"))
    sources, target, note_required = TRANSITIONS[action]
    note = (note or "").strip()
    with transaction.atomic():
        case = Feedback.objects.select_for_update().get(pk=case.pk)
        if check_access and actor is not None and not can_see(actor, case):
            raise TransitionError(_("您无权办理这件诉求。"))
        if case.state not in sources:
            if action == "close":
                raise TransitionError(_("未经核查的诉求不能办结，请先核查。"))
            raise TransitionError(
                _("诉求当前为“%(state)s”，不能%(action)s。")
                % {"state": case.get_state_display(), "action": ACTION_LABELS[action]}
            )
        if action in VERIFICATION_ACTIONS:
            refusal = verification_refusal(actor, case)
            if refusal:
                raise TransitionError(refusal)
        if note_required and not note:
            raise TransitionError(
                _("请填写%(action)s的说明或理由。") % {"action": ACTION_LABELS[action]}
            )
        now = timezone.now()
        if action == "dispatch":
            if assignee is None:
                raise TransitionError(_("派遣时请选择承办人。"))
            case.assignee = assignee
            case.dispatched_at = now
            # Deadlines count from dispatch on the working calendar.
            case.deadline = case.category.deadline_from(now)
            case.escalated_at = None
        elif action == "start":
            case.handled_by = actor
        elif action == "verify":
            case.verified_at = now
            case.verified_by = actor
        elif action == "reject_verification":
            case.verified_at = None
            case.verified_by = None
        elif action == "close":
            case.closed_at = now
        elif action == "return":
            case.return_reason = note
        elif action == "reopen":
            case.closed_at = None
            case.verified_at = None
            case.verified_by = None
        if action != "rate":
            _take_ownership(case, actor)
        case.state = target
        case.save()
        _record(case, action, actor, note, state=target, public=public_note)
        if action == "close":
            _mail_closed(case)
    return case


def reassign(case, actor, assignee, reason):
    """Hand the case to another staff member; the owner stays. A reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("转派需要填写理由。"))
    if assignee is None:
        raise TransitionError(_("请选择新的承办人。"))
    if case.state in DONE_STATES or case.state == S.RETURNED:
        raise TransitionError(_("已办结或已退回的诉求不能转派。"))
    with transaction.atomic():
        _take_ownership(case, actor)
        case.assignee = assignee
        case.save()
        # The reason is internal: staff names and reasons are not for the resident's timeline.
        _record(case, "转派", actor, reason, public=False)
    return case


def reply(case, actor, text):
    """Post a public reply: shown on the tracking page and e-mailed when there is an address."""
    text = (text or "").strip()
    if not text:
        raise TransitionError(_("答复内容不能为空。"))
    with transaction.atomic():
        _take_ownership(case, actor)
        case.public_reply = text
        case.replied_at = timezone.now()
        case.save()
        _record(case, "答复", actor, text)
        if case.contact_email:
            send_case_mail(
                case,
                case.contact_email,
                RecipientKind.RESIDENT,
                DeliveryPurpose.REPLY,
                render_case_mail("reply", case, reply=text),
            )
        sms.queue(case, DeliveryPurpose.REPLY)
    return case


def _mail_closed(case):
    sms.queue(case, DeliveryPurpose.CLOSED)
    if not case.contact_email:
        return
    send_case_mail(
        case,
        case.contact_email,
        RecipientKind.RESIDENT,
        DeliveryPurpose.CLOSED,
        render_case_mail("closed", case, reply=case.public_reply),
        once=True,
    )


def request_extension(case, actor, reason, working_days):
    """Ask for more time: needs a reason; the deadline moves only when a centre approves."""
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("申请延期需要填写理由。"))
    if case.state not in TRANSITIONS["extend"][0]:
        raise TransitionError(_("只有已派遣或处置中的诉求可以申请延期。"))
    if case.extension_requests.filter(state=ExtensionState.PENDING).exists():
        raise TransitionError(_("已有一份待审批的延期申请。"))
    request = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, working_days=working_days
    )
    _record(case, "申请延期", actor, reason, public=False)
    return request


def decide_extension(extension, actor, approve, note=""):
    """A service centre (head or administrator) approves or refuses an extension request."""
    case = extension.case
    if not is_centre_head(actor, case) and not (is_centre_staff(actor) and can_see(actor, case)):
        raise TransitionError(_("只有社区服务中心可以审批延期。"))
    if extension.state != ExtensionState.PENDING:
        raise TransitionError(_("这份延期申请已经审批过了。"))
    if extension.requested_by_id == actor.pk and not is_centre_head(actor, case):
        raise TransitionError(_("不能审批自己的延期申请。"))
    with transaction.atomic():
        extension.state = ExtensionState.APPROVED if approve else ExtensionState.REFUSED
        extension.decided_by = actor
        extension.decided_at = timezone.now()
        extension.decision_note = note
        extension.save()
        if not approve:
            _record(case, "延期未批准", actor, note, public=False)
            return case
        case = transition(case, "extend", actor, note=extension.reason, check_access=False)
        base = case.deadline or timezone.now()
        day = add_working_days(base, extension.working_days)
        case.deadline = timezone.make_aware(
            dt.datetime.combine(day, dt.time(17, 0)), timezone.get_current_timezone()
        )
        case.escalated_at = None
        case.save(update_fields=["deadline", "escalated_at", "updated_at"])
    return case


def file_on_behalf(actor, source, **fields):
    """Staff file a case for a resident who phoned or walked in; the source is recorded and the
    filer becomes its owner. It closes the loop as a case from the form does: the recipients
    the routing rules name (the grid's on-duty worker, the service centre …) are e-mailed, and
    the resident gets the receipt by e-mail and by SMS when they gave an address or a mobile."""
    grid = fields.get("grid")
    if grid is not None and not fields.get("community"):
        fields["community"] = grid.community()
    case = Feedback(source=source, owner=actor, **fields)
    recipients = recipients_for(case)
    with transaction.atomic():
        case.save()
        _record(
            case,
            "代居民登记",
            actor,
            _("%(source)s登记") % {"source": case.get_source_display()},
            state=S.RECEIVED,
        )
        queue_case_received(case, recipients)
        sms.queue(case, DeliveryPurpose.ACKNOWLEDGEMENT)
    return case


def centre_for(case):
    """The service centre responsible for `case` (escalations, follow-ups): of the centres that
    may see it by feedback.handling.visibility, the one of the nearest community; None when no
    centre sees it, so no centre is ever e-mailed about a case it cannot open."""
    centres = centres_seeing(case)
    return max(centres, key=lambda c: c.community.depth if c.community else 0, default=None)
