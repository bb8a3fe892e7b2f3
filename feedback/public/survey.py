"""The grid satisfaction survey (满意度测评): residents rate a grid's service as a whole.

One rating per grid and quarter: a signed-in resident is counted once by account (verified);
an anonymous rating is limited per device (a cookie) and per IP address and counted apart as
unverified. A rating of 2 or 1 with a comment becomes a case for the service centre.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.ratelimit import client_ip

from ..enums import DeliveryPurpose, RecipientKind, Source, SurveyAspect, WorkType
from ..handling.notify import render_case_mail, send_case_mail
from ..handling.transitions import centre_for, file_on_behalf
from ..models import FeedbackCategory, GridSurveyRating

DEVICE_COOKIE = "grid_survey_device"


class SurveyError(Exception):
    """A survey rating that is refused; the message is shown to the resident."""


def quarter_of(moment=None):
    local = timezone.localtime(moment or timezone.now())
    return f"{local.year}Q{(local.month - 1) // 3 + 1}"


def _digest(value):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()


def new_device_id():
    return secrets.token_urlsafe(18)


def per_ip_limit():
    return getattr(settings, "FEEDBACK_SURVEY_PER_IP", 3)


def already_rated(grid, request, quarter=None):
    """True when this account (or, anonymously, this device) rated `grid` this quarter."""
    quarter = quarter or quarter_of()
    ratings = GridSurveyRating.objects.filter(grid=grid, quarter=quarter)
    if request.user.is_authenticated:
        return ratings.filter(user=request.user).exists()
    device = request.COOKIES.get(DEVICE_COOKIE)
    return bool(device) and ratings.filter(device_key=_digest(device), user__isnull=True).exists()


def submit(grid, request, level, aspects, comment, device_id):
    """Save a survey rating for `grid`, or raise SurveyError with the reason."""
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in range(1, 6):
        raise SurveyError(_("请选择一项评价。"))
    aspects = [a for a in aspects if a in SurveyAspect.values]
    comment = (comment or "").strip()
    quarter = quarter_of()
    user = request.user if request.user.is_authenticated else None
    if already_rated(grid, request, quarter):
        raise SurveyError(_("本季度您已经评价过这个网格，下个季度欢迎再次评价。"))
    ip_key = _digest(client_ip(request))
    if user is None:
        same_ip = GridSurveyRating.objects.filter(
            grid=grid, quarter=quarter, user__isnull=True, ip_key=ip_key
        ).count()
        if same_ip >= per_ip_limit():
            raise SurveyError(
                _("这个网络本季度对该网格的匿名评价已达上限；登录后评价可以计入已核实的结果。")
            )
    try:
        with transaction.atomic():
            rating = GridSurveyRating.objects.create(
                grid=grid,
                quarter=quarter,
                level=level,
                aspects=",".join(aspects),
                comment=comment,
                user=user,
                verified=user is not None,
                device_key="" if user else _digest(device_id),
                ip_key=ip_key,
            )
            if level <= 2 and comment:
                rating.case = _open_case(rating)
                rating.save(update_fields=["case"])
    except IntegrityError as error:
        raise SurveyError(_("本季度您已经评价过这个网格，下个季度欢迎再次评价。")) from error
    return rating


def _open_case(rating):
    """A poor survey rating with a comment becomes a case for the service centre."""
    category = (
        FeedbackCategory.objects.filter(work_type=WorkType.COMPLAINT, active=True).first()
        or FeedbackCategory.objects.filter(active=True).first()
    )
    grid = rating.grid
    case = file_on_behalf(
        None,
        Source.WEB,
        category=category,
        grid=grid,
        subject=str(_("网格服务满意度测评：%(level)s") % {"level": rating.get_level_display()}),
        message=rating.comment
        + (f"\n（{'、'.join(str(a) for a in rating.aspect_labels)}）" if rating.aspects else ""),
        submitter=rating.user,
    )
    centre = centre_for(case)
    if centre is not None:
        send_case_mail(
            case,
            centre.inbox_email,
            RecipientKind.SERVICE_CENTRE,
            DeliveryPurpose.NEW_CASE,
            render_case_mail("survey_case", case, grid=grid),
            label=centre.name,
            once=True,
        )
    return case
