"""The staff inbox in the Wagtail admin: case list, case page and its actions, photos, filing
on behalf of a resident, CSV exports. Every view goes through feedback.handling.visibility."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_email
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from grids.models import GridPage
from portal import csv_export, roles
from portal.parsing import parse_id, parse_int

from .enums import CaseState, Source
from .handling import transitions as workflow
from .handling.visibility import is_centre_head, is_centre_staff, visible_cases
from .intake.delivery import delivery_state, failed_deliveries
from .models import (
    ContactViewLog,
    ExtensionRequest,
    FeedbackCategory,
    FeedbackPhoto,
    FieldLogEntry,
    ReplyTemplate,
)
from .public import ratings, stats

FILTER_FIELDS = ("state", "category", "grid", "due", "mine", "q")


def filtered_cases(request):
    """The visible cases narrowed by the list's filters and search."""
    cases = visible_cases(request.user).select_related("category", "grid", "assignee", "owner")
    params = request.GET
    now = timezone.now()
    if params.get("state") in CaseState.values:
        cases = cases.filter(state=params["state"])
    if (category_id := parse_id(params.get("category"))) is not None:
        cases = cases.filter(category_id=category_id)
    if (grid_id := parse_id(params.get("grid"))) is not None:
        cases = cases.filter(grid_id=grid_id)
    if params.get("due") == "overdue":
        cases = cases.filter(state__in=workflow.OPEN_STATES, deadline__lt=now)
    elif params.get("due") == "week":
        cases = cases.filter(
            state__in=workflow.OPEN_STATES, deadline__gte=now, deadline__lt=now + dt.timedelta(7)
        )
    if params.get("mine") == "1":
        cases = cases.filter(Q(assignee=request.user) | Q(owner=request.user))
    query = params.get("q", "").strip()
    if query:
        cases = cases.filter(
            Q(ticket_number__icontains=query)
            | Q(subject__icontains=query)
            | Q(message__icontains=query)
            | Q(place__icontains=query)
        )
    return cases


@permission_required("feedback.view_feedback", raise_exception=True)
def inbox(request):
    """The case list with its filters, search and counts."""
    cases = filtered_cases(request)
    page = Paginator(cases, 50).get_page(request.GET.get("p"))
    now = timezone.now()
    query = request.GET.copy()
    query.pop("p", None)
    return render(
        request,
        "feedback/admin/inbox.html",
        {
            "header_title": _("诉求办理"),
            "page_title": _("诉求办理"),
            "header_icon": "mail",
            "page_obj": page,
            "now": now,
            "states": CaseState.choices,
            "categories": FeedbackCategory.objects.all(),
            "grids": GridPage.objects.filter(
                pk__in=visible_cases(request.user).values("grid")
            ).order_by("code"),
            "params": request.GET,
            "query_string": query.urlencode(),
            "counts": dashboard_counts(request.user),
        },
    )


def dashboard_counts(user):
    visible = visible_cases(user)
    now = timezone.now()
    return {
        "mine": visible.filter(state__in=workflow.OPEN_STATES)
        .filter(Q(assignee=user) | Q(owner=user))
        .count(),
        "overdue": visible.filter(state__in=workflow.OPEN_STATES, deadline__lt=now).count(),
        "failed": failed_deliveries(visible).count(),
    }


def _visible_case(request, pk):
    return get_object_or_404(visible_cases(request.user), pk=pk)


def staff_accounts():
    """Accounts cases can be dispatched to: grid workers and service-centre staff."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name__in=[roles.GRID_WORKERS, roles.SERVICE_CENTRE_STAFF]
        )
        .distinct()
        .order_by("username")
    )


def _case_context(request, case, show_contact=False):
    templates = ReplyTemplate.objects.filter(Q(category=case.category) | Q(category__isnull=True))
    chosen = parse_id(request.GET.get("template"))
    reply_text = case.public_reply
    if chosen is not None:
        template = templates.filter(pk=chosen).first()
        if template is not None:
            reply_text = template.body
    rating = getattr(case, "rating", None)
    return {
        "header_title": f"{case.ticket_number} {case.subject}",
        "page_title": case.ticket_number,
        "page_subtitle": case.subject,
        "header_icon": "mail",
        "case": case,
        "overdue": workflow.is_overdue(case),
        "actions": [
            (name, workflow.ACTION_LABELS[name])
            for name in workflow.allowed_actions(case, request.user)
        ],
        "verification_refusal": (
            workflow.verification_refusal(request.user, case)
            if case.state in workflow.TRANSITIONS["verify"][0]
            or case.state in workflow.TRANSITIONS["reject_verification"][0]
            else None
        ),
        "staff": staff_accounts(),
        "events": case.events.select_related("actor"),
        "field_log": case.field_log.select_related("author"),
        "deliveries": [
            {"delivery": delivery, **delivery_state(delivery)}
            for delivery in case.deliveries.select_related("email")
        ],
        "photos": case.photos.all(),
        "templates": templates,
        "reply_text": reply_text,
        "extensions": case.extension_requests.select_related("requested_by", "decided_by"),
        "can_decide": is_centre_staff(request.user),
        "can_review": is_centre_head(request.user, case),
        "can_contact": request.user.has_perm("feedback.view_contact_details"),
        "show_contact": show_contact,
        "rating": rating,
        "appeals": rating.appeals.select_related("filed_by", "reviewer") if rating else [],
        "follow_up": getattr(case, "follow_up", None),
        "contact_views": case.contact_views.select_related("user")[:20],
    }


@permission_required("feedback.view_feedback", raise_exception=True)
def case_page(request, pk):
    """Everything about one case, and the forms that move it on."""
    case = _visible_case(request, pk)
    return render(request, "feedback/admin/case.html", _case_context(request, case))


@require_POST
@permission_required("feedback.view_contact_details", raise_exception=True)
def show_contact(request, pk):
    """Show the resident's contact details, writing who looked and when to the audit log."""
    case = _visible_case(request, pk)
    ContactViewLog.objects.create(case=case, user=request.user, what="contact")
    return render(
        request, "feedback/admin/case.html", _case_context(request, case, show_contact=True)
    )


@permission_required("feedback.view_contact_details", raise_exception=True)
def photo(request, pk, photo_pk):
    """Stream a resident's photo to staff who may see the case; each viewing is logged."""
    case = _visible_case(request, pk)
    item = get_object_or_404(FeedbackPhoto, pk=photo_pk, case=case)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404(_("照片已删除。")) from error
    ContactViewLog.objects.create(case=case, user=request.user, what="photo")
    response = FileResponse(handle, content_type=item.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _user_from(request, name="assignee"):
    user_id = parse_id(request.POST.get(name))
    if user_id is None:
        return None
    return staff_accounts().filter(pk=user_id).first()


@require_POST
@permission_required("feedback.change_feedback", raise_exception=True)
def case_action(request, pk):
    """Every change to a case: transitions, reassignment, reply, field log, extension, appeal,
    follow-up. Refused changes come back as a message, never as an error page."""
    case = _visible_case(request, pk)
    kind = request.POST.get("kind", "")
    note = request.POST.get("note", "")
    try:
        if kind == "transition":
            workflow.transition(
                case,
                request.POST.get("action", ""),
                request.user,
                note=note,
                assignee=_user_from(request),
            )
            messages.success(request, _("已保存。"))
        elif kind == "reassign":
            workflow.reassign(case, request.user, _user_from(request), note)
            messages.success(request, _("已转派。"))
        elif kind == "reply":
            workflow.reply(case, request.user, request.POST.get("reply", ""))
            messages.success(request, _("答复已发布。"))
        elif kind == "field_log":
            if not note.strip():
                raise workflow.TransitionError(_("民情日志内容不能为空。"))
            FieldLogEntry.objects.create(case=case, author=request.user, note=note.strip())
            messages.success(request, _("已记入民情日志。"))
        elif kind == "extension":
            days = parse_int(request.POST.get("working_days"), 1, 30)
            if days is None:
                raise workflow.TransitionError(_("延长的工作日请填写1到30之间的数字。"))
            workflow.request_extension(case, request.user, note, days)
            messages.success(request, _("延期申请已提交，等待社区服务中心审批。"))
        elif kind == "extension_decision":
            extension = get_object_or_404(
                ExtensionRequest, pk=request.POST.get("extension") or 0, case=case
            )
            workflow.decide_extension(
                extension, request.user, request.POST.get("approve") == "1", note
            )
            messages.success(request, _("延期申请已审批。"))
        elif kind == "appeal":
            rating = getattr(case, "rating", None)
            if rating is None:
                raise workflow.TransitionError(_("这件诉求还没有评价。"))
            ratings.appeal(rating, request.user, note)
            messages.success(request, _("申诉已提交。"))
        elif kind == "appeal_decision":
            rating = getattr(case, "rating", None)
            appeal = get_object_or_404(
                rating.appeals if rating else ExtensionRequest.objects.none(),
                pk=request.POST.get("appeal") or 0,
            )
            ratings.decide_appeal(appeal, request.user, request.POST.get("overturn") == "1", note)
            messages.success(request, _("申诉已复核。"))
        elif kind == "follow_up":
            follow_up = getattr(case, "follow_up", None)
            if follow_up is None:
                raise workflow.TransitionError(_("这件诉求没有回访任务。"))
            ratings.complete_follow_up(
                follow_up,
                request.user,
                request.POST.get("visit_note", ""),
                request.POST.get("rectification", ""),
                request.POST.get("reply", ""),
            )
            messages.success(request, _("回访已记录。"))
        else:
            raise workflow.TransitionError(_("未知的操作。"))
    except (workflow.TransitionError, ratings.RatingError) as error:
        messages.error(request, str(error))
    return redirect("feedback_admin_case", case.pk)


@permission_required("feedback.change_feedback", raise_exception=True)
def file_case(request):
    """Staff file a case for a resident who phoned or walked in."""
    grids = GridPage.objects.live().order_by("code")
    categories = FeedbackCategory.objects.filter(active=True)
    errors = {}
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        source = values.get("source")
        if source not in (Source.PHONE, Source.WALK_IN):
            errors["source"] = _("请选择电话或来访。")
        category_id = parse_id(values.get("category"))
        category = categories.filter(pk=category_id).first() if category_id else None
        if category is None:
            errors["category"] = _("请选择类别。")
        grid = None
        if values.get("grid"):
            grid_id = parse_id(values["grid"])
            grid = grids.filter(pk=grid_id).first() if grid_id else None
            if grid is None:
                errors["grid"] = _("请选择有效的网格。")
        subject = values.get("subject", "").strip()[:80]
        message = values.get("message", "").strip()[:2000]
        if not subject:
            errors["subject"] = _("请填写标题。")
        if not message:
            errors["message"] = _("请填写内容。")
        if values.get("contact_email", "").strip():
            try:
                validate_email(values["contact_email"].strip())
            except ValidationError:
                errors["contact_email"] = _("请输入有效的电子邮箱。")
        if not errors:
            case = workflow.file_on_behalf(
                request.user,
                source,
                category=category,
                grid=grid,
                subject=subject,
                message=message,
                place=values.get("place", "").strip()[:120],
                contact_name=values.get("contact_name", "").strip()[:40],
                contact_phone=values.get("contact_phone", "").strip()[:30],
                contact_email=values.get("contact_email", "").strip()[:254],
            )
            messages.success(
                request,
                _("已登记，工单号 %(ticket)s，查询码 %(code)s（请告知居民）。")
                % {"ticket": case.ticket_number, "code": case.tracking_code},
            )
            return redirect("feedback_admin_case", case.pk)
    return render(
        request,
        "feedback/admin/file_case.html",
        {
            "header_title": _("代居民登记诉求"),
            "page_title": _("代居民登记诉求"),
            "header_icon": "plus",
            "grids": grids,
            "categories": categories,
            "sources": [(Source.PHONE, Source.PHONE.label), (Source.WALK_IN, Source.WALK_IN.label)],
            "errors": errors,
            "values": values,
        },
        status=400 if errors else 200,
    )


def _csv_response(filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
    return response


@permission_required("feedback.view_feedback", raise_exception=True)
def export_cases(request):
    """The visible cases (with the list's filters) as CSV, without residents' contact details."""
    response = _csv_response("cases.csv")
    writer = csv_export.writer(response)
    writer.writerow(
        [
            _("工单号"),
            _("类别"),
            _("网格"),
            _("标题"),
            _("来源"),
            _("状态"),
            _("受理时间"),
            _("派遣时间"),
            _("办理时限"),
            _("办结时间"),
            _("是否超期"),
            _("评价"),
        ]
    )
    for case in filtered_cases(request).select_related("rating"):
        rating = getattr(case, "rating", None)
        writer.writerow(
            [
                case.ticket_number,
                case.category.name,
                case.grid.title if case.grid else "",
                case.subject,
                case.get_source_display(),
                case.get_state_display(),
                _fmt(case.created_at),
                _fmt(case.dispatched_at),
                _fmt(case.deadline),
                _fmt(case.closed_at),
                _("是") if _late(case) else _("否"),
                rating.get_level_display() if rating else "",
            ]
        )
    return response


def _fmt(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _late(case):
    if case.closed_at and case.deadline:
        return case.closed_at > case.deadline
    return workflow.is_overdue(case)


@permission_required("feedback.view_feedback", raise_exception=True)
def export_statistics(request):
    """Per grid and month figures over the visible cases, as CSV."""
    response = _csv_response("statistics.csv")
    writer = csv_export.writer(response)
    writer.writerow(
        [
            _("网格"),
            _("月份"),
            _("受理"),
            _("办结"),
            _("按时办结"),
            _("按时办结率"),
            _("办理用时中位数（小时）"),
            _("评价数"),
            _("满意率"),
        ]
        + [str(label) for _level, label in sorted(_levels(), reverse=True)]
    )
    visible = visible_cases(request.user)
    grids = GridPage.objects.filter(pk__in=visible.values("grid")).order_by("code")
    for grid, rows in stats.per_grid_figures(visible, grids).items():
        for row in rows:
            writer.writerow(
                [
                    grid.title,
                    row.month,
                    row.received,
                    row.closed,
                    row.on_time,
                    _pct(row.on_time_rate),
                    _num(row.median_hours),
                    row.ratings,
                    _pct(row.satisfaction_rate),
                ]
                + [row.levels[level] for level in stats.LEVELS]
            )
    return response


def _levels():
    from .enums import RatingLevel

    return RatingLevel.choices


def _pct(value):
    return "" if value is None else f"{value}%"


def _num(value):
    return "" if value is None else value


def admin_url(case):
    return reverse("feedback_admin_case", args=[case.pk])
