"""Ratings (好差评): the resident rates a case once, only after it is closed; a poor rating opens
a follow-up (回访, feedback.handling.after_rating), where staff may also appeal (申诉)."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..enums import CaseState, RoleLabel
from ..handling.after_rating import RatingError, open_follow_up
from ..handling.transitions import TransitionError, transition
from ..handling.visibility import is_staff_account
from ..models import FeedbackEvent, Rating


def can_rate(case, user=None):
    """True when `case` may be rated now (by `user`, the signed-in account, when given)."""
    if user is not None and staff_refusal(user):
        return False
    return case.state == CaseState.CLOSED and not Rating.objects.filter(case=case).exists()


def staff_refusal(user):
    """The message refusing a rating from a signed-in staff account, or None."""
    if is_staff_account(user):
        return _(
            "工作人员账号不能评价诉求：评价只能由居民本人作出。"
            "请退出工作人员账号，由居民用自己的查询码评价。"
        )
    return None


def rate(case, level, comment="", user=None):
    """Record the resident's rating of a closed case; a 2 or 1 opens a follow-up. A signed-in
    staff account (`user`) is refused: staff must not rate the cases they handle."""
    refusal = staff_refusal(user)
    if refusal:
        raise RatingError(refusal)
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in range(1, 6):
        raise RatingError(_("请选择一项评价。"))
    if Rating.objects.filter(case=case).exists():
        raise RatingError(_("这件诉求已经评价过了，每件诉求只能评价一次。"))
    if case.state != CaseState.CLOSED:
        raise RatingError(_("诉求办结后才能评价。"))
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                case=case, level=level, comment=(comment or "").strip(), user=user
            )
            transition(case, "rate", None, note="", check_access=False)
            FeedbackEvent.objects.filter(case=case, state=CaseState.RATED).update(
                role_label=RoleLabel.RESIDENT
            )
            if rating.is_poor:
                open_follow_up(case)
    except IntegrityError as error:
        raise RatingError(_("这件诉求已经评价过了，每件诉求只能评价一次。")) from error
    except TransitionError as error:
        raise RatingError(str(error)) from error
    return rating
