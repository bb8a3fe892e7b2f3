"""The views of the staff inbox (feedback.handling.inbox.CaseViewSet) that work on one case:
the case page, the resident's contact details and photos, every action on a case; and filing
a case for a resident, the statistics export.

Each view finds its case in feedback.handling.visibility.visible_cases(user)
(VisibleCaseMixin): a case
the account may not see is a 404, on a GET as on a POST, before any permission is weighed."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin

from grids.models import GridPage
from portal import csv_export, roles
from portal.parsing import parse_id, parse_int
from portal.private_files import serve

from .. import stats
from ..enums import RatingLevel, Source
from ..intake.delivery import delivery_state
from ..models import (
    ContactViewLog,
    Feedback,
    FeedbackCategory,
    FeedbackPhoto,
    FieldLogEntry,
    ReplyTemplate,
)
from . import after_rating
from . import transitions as workflow
from .visibility import is_centre_head, is_centre_staff, visible_cases


class VisibleCaseMixin(BaseObjectMixin):
    """The case of the URL, looked up among the cases the account may see."""

    model = Feedback
    index_url_name = None
    edit_url_name = None

    def get_base_object_queryset(self):
        return visible_cases(self.request.user)

    def case_url(self):
        return reverse(self.edit_url_name, args=[self.object.pk])


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


class CaseView(VisibleCaseMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Everything about one case, and the forms that move it on."""

    permission_required = "view"
    template_name = "feedback/admin/case.html"
    header_icon = "mail"
    show_contact = False

    def get_page_title(self):
        return self.object.ticket_number

    def get_page_subtitle(self):
        return self.object.subject

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.object.ticket_number}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request, case = self.request, self.object
        templates = ReplyTemplate.objects.filter(
            Q(category=case.category) | Q(category__isnull=True)
        )
        reply_text = case.public_reply
        chosen = parse_id(request.GET.get("template"))
        if chosen is not None and (template := templates.filter(pk=chosen).first()):
            reply_text = template.body
        rating = getattr(case, "rating", None)
        verification_states = (
            workflow.TRANSITIONS["verify"][0] | workflow.TRANSITIONS["reject_verification"][0]
        )
        context.update(
            {
                "case": case,
                "overdue": workflow.is_overdue(case),
                "actions": [
                    (name, workflow.ACTION_LABELS[name])
                    for name in workflow.allowed_actions(case, request.user)
                ],
                "verification_refusal": (
                    workflow.verification_refusal(request.user, case)
                    if case.state in verification_states
                    else None
                ),
                "staff": staff_accounts(),
                "events": case.events.select_related("actor"),
                "field_log": case.field_log.select_related("author"),
                "deliveries": [
                    {"delivery": delivery, **delivery_state(delivery)}
                    for delivery in case.deliveries.select_related("email")
                ],
                "sms_deliveries": case.sms_deliveries.all(),
                "photos": case.photos.all(),
                "templates": templates,
                "reply_text": reply_text,
                "extensions": case.extension_requests.select_related("requested_by", "decided_by"),
                "can_decide": is_centre_staff(request.user),
                "can_review": is_centre_head(request.user, case),
                "can_contact": request.user.has_perm("feedback.view_contact_details"),
                "show_contact": self.show_contact,
                "rating": rating,
                "appeals": rating.appeals.select_related("filed_by", "reviewer") if rating else [],
                "follow_up": getattr(case, "follow_up", None),
                "contact_views": case.contact_views.select_related("user")[:20],
            }
        )
        return context


def require_contact_permission(user):
    if not user.has_perm("feedback.view_contact_details"):
        raise PermissionDenied


class ContactView(CaseView):
    """POST: the case page with the resident's contact details, logging who looked and when."""

    http_method_names = ["post"]
    show_contact = True

    def post(self, request, *args, **kwargs):
        require_contact_permission(request.user)
        ContactViewLog.objects.create(case=self.object, user=request.user, what="contact")
        return self.render_to_response(self.get_context_data())


class PhotoView(VisibleCaseMixin, PermissionCheckedMixin, View):
    """A resident's photo, streamed to staff who may see the case; each viewing is logged."""

    permission_required = "view"

    def get(self, request, *args, **kwargs):
        require_contact_permission(request.user)
        item = get_object_or_404(FeedbackPhoto, pk=kwargs["photo_pk"], case=self.object)
        try:
            response = serve(item.file, item.content_type)
        except (FileNotFoundError, ValueError) as error:
            raise Http404(_("照片已删除。")) from error
        ContactViewLog.objects.create(case=self.object, user=request.user, what="photo")
        return response


class ActionView(VisibleCaseMixin, PermissionCheckedMixin, View):
    """POST: one change to the case, named by `kind`: a transition, reassignment, reply, field
    log, extension and its decision, appeal and its decision, follow-up. A refused change comes
    back as a message on the case page, never as an error page."""

    permission_required = "change"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        handler = getattr(self, "do_" + request.POST.get("kind", ""), None)
        try:
            if handler is None:
                raise workflow.TransitionError(_("未知的操作。"))
            messages.success(request, handler(self.object, request.POST.get("note", "")))
        except (workflow.TransitionError, after_rating.RatingError) as error:
            messages.error(request, str(error))
        return redirect(self.case_url())

    def staff_member(self, name="assignee"):
        user_id = parse_id(self.request.POST.get(name))
        return None if user_id is None else staff_accounts().filter(pk=user_id).first()

    def do_transition(self, case, note):
        action = self.request.POST.get("action", "")
        workflow.transition(case, action, self.request.user, note, assignee=self.staff_member())
        return _("已保存。")

    def do_reassign(self, case, note):
        workflow.reassign(case, self.request.user, self.staff_member(), note)
        return _("已转派。")

    def do_reply(self, case, note):
        workflow.reply(case, self.request.user, self.request.POST.get("reply", ""))
        return _("答复已发布。")

    def do_field_log(self, case, note):
        if not note.strip():
            raise workflow.TransitionError(_("民情日志内容不能为空。"))
        FieldLogEntry.objects.create(case=case, author=self.request.user, note=note.strip())
        return _("已记入民情日志。")

    def do_extension(self, case, note):
        days = parse_int(self.request.POST.get("working_days"), 1, 30)
        if days is None:
            raise workflow.TransitionError(_("延长的工作日请填写1到30之间的数字。"))
        workflow.request_extension(case, self.request.user, note, days)
        return _("延期申请已提交，等待社区服务中心审批。")

    def do_extension_decision(self, case, note):
        extension_id = parse_id(self.request.POST.get("extension"))
        extension = case.extension_requests.filter(pk=extension_id).first()
        if extension_id is None or extension is None:
            raise workflow.TransitionError(_("没有这份延期申请。"))
        approve = self.request.POST.get("approve") == "1"
        workflow.decide_extension(extension, self.request.user, approve, note)
        return _("延期申请已审批。")

    def do_appeal(self, case, note):
        rating = getattr(case, "rating", None)
        if rating is None:
            raise workflow.TransitionError(_("这件诉求还没有评价。"))
        after_rating.appeal(rating, self.request.user, note)
        return _("申诉已提交。")

    def do_appeal_decision(self, case, note):
        rating = getattr(case, "rating", None)
        if rating is None:
            raise workflow.TransitionError(_("这件诉求还没有评价。"))
        appeal_id = parse_id(self.request.POST.get("appeal"))
        appeal = rating.appeals.filter(pk=appeal_id).first()
        if appeal_id is None or appeal is None:
            raise workflow.TransitionError(_("没有这份申诉。"))
        overturn = self.request.POST.get("overturn") == "1"
        after_rating.decide_appeal(appeal, self.request.user, overturn, note)
        return _("申诉已复核。")

    def do_follow_up(self, case, note):
        follow_up = getattr(case, "follow_up", None)
        if follow_up is None:
            raise workflow.TransitionError(_("这件诉求没有回访任务。"))
        post = self.request.POST
        after_rating.complete_follow_up(
            follow_up,
            self.request.user,
            post.get("visit_note", ""),
            post.get("rectification", ""),
            post.get("reply", ""),
        )
        return _("回访已记录。")


class FileCaseView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Staff file a case for a resident who phoned or walked in; the filer owns it."""

    model = Feedback
    permission_required = "change"
    template_name = "feedback/admin/file_case.html"
    page_title = gettext_lazy("代居民登记诉求")
    header_icon = "plus"
    index_url_name = None
    edit_url_name = None

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "grids": GridPage.objects.live().order_by("code"),
                "categories": FeedbackCategory.objects.filter(active=True),
                "sources": [(s, s.label) for s in (Source.PHONE, Source.WALK_IN)],
                "errors": {},
                "values": {},
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        context = self.get_context_data()
        values = request.POST
        errors = {}
        source = values.get("source")
        if source not in (Source.PHONE, Source.WALK_IN):
            errors["source"] = _("请选择电话或来访。")
        category_id = parse_id(values.get("category"))
        category = context["categories"].filter(pk=category_id).first() if category_id else None
        if category is None:
            errors["category"] = _("请选择类别。")
        grid = None
        if values.get("grid"):
            grid_id = parse_id(values["grid"])
            grid = context["grids"].filter(pk=grid_id).first() if grid_id else None
            if grid is None:
                errors["grid"] = _("请选择有效的网格。")
        text = {
            name: values.get(name, "").strip()[:limit]
            for name, limit in [
                ("subject", 80),
                ("message", 2000),
                ("place", 120),
                ("contact_name", 40),
                ("contact_phone", 30),
                ("contact_email", 254),
            ]
        }
        if not text["subject"]:
            errors["subject"] = _("请填写标题。")
        if not text["message"]:
            errors["message"] = _("请填写内容。")
        if text["contact_email"]:
            try:
                validate_email(text["contact_email"])
            except ValidationError:
                errors["contact_email"] = _("请输入有效的电子邮箱。")
        if errors:
            context.update({"errors": errors, "values": values})
            return self.render_to_response(context, status=400)
        case = workflow.file_on_behalf(request.user, source, category=category, grid=grid, **text)
        messages.success(
            request,
            _("已登记，工单号 %(ticket)s，查询码 %(code)s（请告知居民）。")
            % {"ticket": case.ticket_number, "code": case.tracking_code},
        )
        return redirect(self.edit_url_name, case.pk)


def _percent(value):
    return "" if value is None else f"{value}%"


class StatisticsExportView(PermissionCheckedMixin, View):
    """Per grid and month figures over the visible cases, as CSV."""

    model = Feedback
    permission_required = "view"

    def get(self, request, *args, **kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="statistics.csv"'
        response.write("\ufeff")  # so spreadsheet programs read the Chinese text as UTF-8
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
            + [str(label) for _level, label in sorted(RatingLevel.choices, reverse=True)]
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
                        _percent(row.on_time_rate),
                        "" if row.median_hours is None else row.median_hours,
                        row.ratings,
                        _percent(row.satisfaction_rate),
                    ]
                    + [row.levels[level] for level in stats.LEVELS]
                )
        return response


class LegacyCaseRedirectView(VisibleCaseMixin, PermissionCheckedMixin, View):
    """/admin/feedback/cases/<pk>/, the case link in e-mails sent before the inbox moved: a
    404 for a case the account may not see, else a redirect to the case page."""

    permission_required = "view"

    def get(self, request, *args, **kwargs):
        return redirect(self.case_url())
