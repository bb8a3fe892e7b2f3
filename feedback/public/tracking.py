"""Public pages for residents: follow a case by its tracking code, rate it, rate a grid."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from grids.models import GridPage
from portal import sms as portal_sms
from portal.parsing import parse_text
from portal.ratelimit import client_ip

from ..enums import RatingLevel, SurveyAspect
from ..handling.transitions import is_overdue
from ..intake import ratelimit, sms
from ..models import Feedback, normalise_tracking_code
from . import ratings, survey

FAILURE_WINDOW = 3600


def _too_many_failures(request):
    limit = getattr(settings, "FEEDBACK_TRACKING_FAILURES_PER_HOUR", 10)
    return ratelimit.count("track-failure", client_ip(request), FAILURE_WINDOW) >= limit


def _count_failure(request):
    ratelimit.hit("track-failure", client_ip(request), FAILURE_WINDOW)


def _limited(request):
    return render(
        request,
        "feedback/tracking_page.html",
        {
            "error": _("查询码输错次数过多，请一小时后再试，或致电社区服务中心查询。"),
            "own_cases": _own_cases(request),
        },
        status=429,
    )


def _own_cases(request):
    if not request.user.is_authenticated:
        return []
    return list(
        Feedback.objects.filter(submitter=request.user)
        .select_related("category")
        .order_by("-created_at")[:50]
    )


def _find(request, code):
    """The case with this code, counting a miss against the IP address; None when not found."""
    code = normalise_tracking_code(code)
    case = (
        Feedback.objects.select_related("category", "grid").filter(tracking_code=code).first()
        if code
        else None
    )
    if case is None:
        _count_failure(request)
    return case


def no_referrer(view):
    """Pages whose address holds a tracking code send only the site's origin as Referer, never
    the path with the code. Not "no-referrer": under it browsers post forms with `Origin: null`,
    which Django's CSRF check refuses."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "strict-origin"
        return response

    return wrapped


@never_cache
@no_referrer
@require_http_methods(["GET", "POST"])
def tracking_page(request):
    """Enter a tracking code (posted, or as ?code= from a link or a QR code); a signed-in
    resident also sees a list of their own cases."""
    query_code = parse_text(request.GET.get("code"))
    if request.method == "POST" or query_code:
        if _too_many_failures(request):
            return _limited(request)
        code = request.POST.get("code", "") if request.method == "POST" else query_code
        if not normalise_tracking_code(code):
            error = _("请输入查询码。")
        else:
            case = _find(request, code)
            if case is not None:
                return redirect("feedback_track_case", case.tracking_code)
            error = _("没有找到这个查询码对应的诉求，请核对后重新输入（不区分大小写）。")
        return render(
            request,
            "feedback/tracking_page.html",
            {"error": error, "code": code, "own_cases": _own_cases(request)},
            status=400,
        )
    return render(request, "feedback/tracking_page.html", {"own_cases": _own_cases(request)})


def public_timeline(case):
    """The steps a resident sees: by role, never staff names; internal notes left out."""
    return case.events.filter(public=True).order_by("at", "pk")


@never_cache
@no_referrer
@require_http_methods(["GET", "POST"])
def tracking_case(request, code):
    """A case as its resident sees it: state, timeline by role, deadline, reply, return reason.
    A POST with action=sms_opt_out stops the texts about it (the code is the resident's key)."""
    if _too_many_failures(request):
        return _limited(request)
    case = _find(request, code)
    if case is None:
        return render(
            request,
            "feedback/tracking_page.html",
            {
                "error": _("没有找到这个查询码对应的诉求，请核对后重新输入（不区分大小写）。"),
                "own_cases": _own_cases(request),
            },
            status=404,
        )
    if request.method == "POST":
        if request.POST.get("action") == "sms_opt_out":
            sms.opt_out(case)
        return redirect(reverse("feedback_track_case", args=[case.tracking_code]) + "#sms-section")
    rating = getattr(case, "rating", None) if hasattr(case, "rating") else None
    return render(
        request,
        "feedback/tracking_case.html",
        {
            "case": case,
            "timeline": public_timeline(case),
            "overdue": is_overdue(case),
            "rating": rating,
            "can_rate": ratings.can_rate(case, request.user),
            "rating_refusal": ratings.staff_refusal(request.user),
            "follow_up": getattr(case, "follow_up", None) if hasattr(case, "follow_up") else None,
            "sms_possible": bool(portal_sms.normalise_mobile(case.contact_phone)),
        },
    )


@never_cache
@no_referrer
@require_http_methods(["GET", "POST"])
def rate_case(request, code):
    """Rate a closed case once, on five levels, with an optional comment; never pre-filled."""
    if _too_many_failures(request):
        return _limited(request)
    case = _find(request, code)
    if case is None:
        return redirect("feedback_track")
    context = {"case": case, "levels": RatingLevel.choices, "error": ""}
    refusal = ratings.staff_refusal(request.user)
    if refusal:
        # Signed in as staff: no form, and nothing is saved whatever was posted.
        context.update(error=refusal, refused=True)
        return render(request, "feedback/rating_form.html", context, status=403)
    if request.method == "POST":
        try:
            ratings.rate(
                case,
                request.POST.get("level"),
                request.POST.get("comment", "")[:1000],
                user=request.user if request.user.is_authenticated else None,
            )
        except ratings.RatingError as error:
            context.update(
                error=str(error),
                comment=request.POST.get("comment", ""),
                chosen=request.POST.get("level"),
            )
            return render(request, "feedback/rating_form.html", context, status=400)
        return redirect(reverse("feedback_track_case", args=[case.tracking_code]) + "#rating")
    if not ratings.can_rate(case):
        return redirect("feedback_track_case", case.tracking_code)
    return render(request, "feedback/rating_form.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def grid_survey(request, grid_id):
    """Rate a grid's service as a whole (满意度测评), once a quarter."""
    grid = GridPage.objects.live().filter(pk=grid_id).first()
    if grid is None:
        raise Http404(_("没有这个网格，无法测评。"))
    device_id = request.COOKIES.get(survey.DEVICE_COOKIE) or survey.new_device_id()
    context = {
        "grid": grid,
        "levels": RatingLevel.choices,
        "aspects": SurveyAspect.choices,
        "quarter": survey.quarter_of(),
        "already": survey.already_rated(grid, request),
    }
    status = 200
    if request.method == "POST":
        try:
            survey.submit(
                grid,
                request,
                request.POST.get("level"),
                request.POST.getlist("aspects"),
                request.POST.get("comment", "")[:1000],
                device_id,
            )
        except survey.SurveyError as error:
            context.update(
                error=str(error),
                chosen=request.POST.get("level"),
                chosen_aspects=request.POST.getlist("aspects"),
                comment=request.POST.get("comment", ""),
            )
            status = 400
        else:
            context.update(thanks=True, already=True)
    response = render(request, "feedback/grid_survey.html", context, status=status)
    if survey.DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            survey.DEVICE_COOKIE,
            device_id,
            max_age=60 * 60 * 24 * 400,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    return response
