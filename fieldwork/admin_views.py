"""The staff side of the grid worker's day, in the Wagtail admin (responsive, so a phone works):
the field log (/admin/fieldwork/patrols/), household visits (/admin/fieldwork/visits/) and
handover slips (/admin/fieldwork/slips/), with the week's summary per grid and the report of
grids with no patrol on a working day.

Every view takes its records from fieldwork.visibility (a record the account may not see is a
404 on GET and POST alike) and checks the model permission the role was granted
(fieldwork.setup) through the viewset's permission policy."""

import datetime as dt

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from feedback.handling.visibility import visible_cases
from feedback.intake.photos import MAX_PHOTOS, clean_photo
from portal.admin_filters import IdModelChoiceFilter
from portal.parsing import parse_id

from . import forms as fw_forms
from .handover import SlipError, complete, send_slip
from .models import FindingOutcome, HandoverSlip, Patrol, SlipState, Visit, VisitPurpose
from .patrols import (
    FindingError,
    finding_to_case,
    finding_to_slip,
    log_patrol,
    missing_entries,
    week_start_of,
    weekly_summary,
)
from .visibility import (
    centre_grids,
    visible_findings,
    visible_grids,
    visible_patrols,
    visible_photos,
    visible_slips,
    visible_visits,
)
from .visiting import follow_up_initial, open_follow_ups, visible_due_visits


def _grid_choices(request):
    return visible_grids(request.user).live().order_by("code")


def parse_week(value, today=None):
    """The Monday of the week named by ?week=YYYY-MM-DD (any day of it), else this week's."""
    today = today or timezone.localdate()
    try:
        day = dt.date.fromisoformat(str(value)[:10]) if value else today
    except ValueError:
        day = today
    return week_start_of(day)


class PageMixin(WagtailAdminTemplateMixin):
    """A titled admin page inside one of the viewsets below."""

    index_url_name = None
    edit_url_name = None

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]


# --- the field log: patrols and findings -------------------------------------------------


class PatrolFilterSet(WagtailFilterSet):
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=_grid_choices)
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Patrol
        fields = []


class PatrolIndexView(generic.IndexView):
    page_title = gettext_lazy("巡查日志")
    permission_required = None
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return visible_patrols(self.request.user).select_related("grid", "worker")

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return []

    @property
    def header_buttons(self):
        buttons = []
        if self.user_has_permission("add"):
            buttons.append(
                HeaderButton(_("登记巡查"), url=reverse("fieldwork_patrols:add"), icon_name="plus")
            )
        buttons.append(
            HeaderButton(_("周小结"), url=reverse("fieldwork_patrols:week"), icon_name="date")
        )
        return buttons


class LogPatrolView(PermissionCheckedMixin, PageMixin, TemplateView):
    """Log a patrol from a phone: date and grid preset, optional finding and photos."""

    model = Patrol
    permission_required = "add"
    template_name = "fieldwork/admin/log_patrol.html"
    page_title = gettext_lazy("登记巡查")
    header_icon = "plus"

    def get_context_data(self, form=None, photo_errors=(), **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or fw_forms.PatrolForm(user=self.request.user)
        context["photo_errors"] = photo_errors
        context["max_photos"] = MAX_PHOTOS
        return context

    def post(self, request, *args, **kwargs):
        form = fw_forms.PatrolForm(request.POST, user=request.user)
        uploads = request.FILES.getlist("photos")
        photo_errors, photos = [], []
        if len(uploads) > MAX_PHOTOS:
            photo_errors.append(_("最多上传%(n)s张照片。") % {"n": MAX_PHOTOS})
        else:
            for upload in uploads:
                try:
                    photos.append(clean_photo(upload))
                except ValidationError as error:
                    photo_errors.extend(error.messages)
        if not form.is_valid() or photo_errors:
            context = self.get_context_data(form=form, photo_errors=photo_errors)
            return self.render_to_response(context, status=400)
        data = form.cleaned_data
        patrol = log_patrol(
            worker=request.user,
            grid=data["grid"],
            date=data["date"],
            route=data["route"],
            note=data["note"],
            minutes=data["minutes"],
            photos=photos,
            findings=[
                (
                    data["finding_place"],
                    data["finding"],
                    FindingOutcome.SOLVED if data["finding_solved"] else FindingOutcome.NOTED,
                )
            ]
            if data["finding"]
            else [],
        )
        messages.success(request, _("巡查已登记。"))
        return redirect("fieldwork_patrols:edit", patrol.pk)


class PatrolView(BaseObjectMixin, PermissionCheckedMixin, PageMixin, TemplateView):
    """One patrol: its photos and findings, each with what can be done with it."""

    model = Patrol
    permission_required = "view"
    template_name = "fieldwork/admin/patrol.html"
    header_icon = "site"

    def get_base_object_queryset(self):
        return visible_patrols(self.request.user).select_related("grid", "worker")

    def get_page_title(self):
        return _("巡查 %(date)s") % {"date": f"{self.object.date:%Y-%m-%d}"}

    def get_page_subtitle(self):
        return self.object.grid.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context.update(
            {
                "patrol": self.object,
                "findings": self.object.findings.select_related("case").prefetch_related(
                    "slips__line"
                ),
                "photos": self.object.photos.all(),
                "finding_form": kwargs.get("finding_form") or fw_forms.FindingForm(),
                "can_add": user.has_perm("fieldwork.add_patrolfinding"),
                "can_case": user.has_perm("feedback.change_feedback"),
                "can_slip": user.has_perm("fieldwork.add_handoverslip"),
                "open_outcome": FindingOutcome.NOTED,
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        """Add a finding to the patrol."""
        if not request.user.has_perm("fieldwork.add_patrolfinding"):
            raise PermissionDenied
        form = fw_forms.FindingForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(finding_form=form), status=400)
        self.object.findings.create(**form.cleaned_data)
        messages.success(request, _("发现已记录。"))
        return redirect("fieldwork_patrols:edit", self.object.pk)


class FindingMixin(BaseObjectMixin, PermissionCheckedMixin, PageMixin):
    model = Patrol
    permission_required = "change"
    header_icon = "site"

    def get_base_object_queryset(self):
        return visible_findings(self.request.user).select_related("patrol__grid")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "finding": self.object,
                "patrol": self.object.patrol,
                "form": kwargs.get("form") or self.make_form(),
            }
        )
        return context

    def refuse_done(self):
        if self.object.outcome in (FindingOutcome.CASE, FindingOutcome.SLIP):
            messages.error(self.request, _("这条发现已经处理过了。"))
            return redirect("fieldwork_patrols:edit", self.object.patrol_id)
        return None

    def get(self, request, *args, **kwargs):
        return self.refuse_done() or super().get(request, *args, **kwargs)


class FindingCaseView(FindingMixin, TemplateView):
    """Turn a finding into a case; the worker files it and is its first owner."""

    template_name = "fieldwork/admin/finding_case.html"
    page_title = gettext_lazy("转为诉求")

    def make_form(self, data=None):
        finding = self.object
        return fw_forms.FindingCaseForm(
            data,
            initial={"subject": finding.description[:80], "message": finding.description},
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("feedback.change_feedback"):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            case = finding_to_case(self.object, request.user, **form.cleaned_data)
        except FindingError as error:
            messages.error(request, str(error))
            return redirect("fieldwork_patrols:edit", self.object.patrol_id)
        messages.success(
            request, _("已转为诉求，工单号 %(ticket)s。") % {"ticket": case.ticket_number}
        )
        return redirect("fieldwork_patrols:edit", self.object.patrol_id)


class FindingSlipView(FindingMixin, TemplateView):
    """Pass a finding on to another line with a handover slip."""

    template_name = "fieldwork/admin/finding_slip.html"
    page_title = gettext_lazy("转交条线")

    def make_form(self, data=None):
        finding = self.object
        return fw_forms.SlipForm(
            data,
            initial={
                "subject": finding.description[:80],
                "details": finding.description,
                "place": finding.place,
            },
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("fieldwork.add_handoverslip"):
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        try:
            slip = finding_to_slip(
                self.object,
                request.user,
                line=data["line"],
                subject=data["subject"],
                details=data["details"],
            )
        except FindingError as error:
            messages.error(request, str(error))
            return redirect("fieldwork_patrols:edit", self.object.patrol_id)
        if data["place"] and data["place"] != slip.place:
            HandoverSlip.objects.filter(pk=slip.pk).update(place=data["place"])
        messages.success(
            request,
            _("工作单 %(number)s 已发给%(line)s。") % {"number": slip.number, "line": slip.line},
        )
        return redirect("fieldwork_slips:edit", slip.pk)


class PhotoView(BaseObjectMixin, PermissionCheckedMixin, View):
    """A patrol photo, for staff who may see the patrol (photos have no public URL)."""

    model = Patrol
    permission_required = "view"

    def get_base_object_queryset(self):
        return visible_photos(self.request.user)

    def get(self, request, *args, **kwargs):
        record = self.object
        try:
            handle = record.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=record.content_type)
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


class WeeklySummaryView(PermissionCheckedMixin, PageMixin, TemplateView):
    """The week's summary (周结) of each grid the account may see, generated from the entries."""

    model = Patrol
    permission_required = "view"
    template_name = "fieldwork/admin/week.html"
    page_title = gettext_lazy("巡查周小结")
    header_icon = "date"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week = parse_week(self.request.GET.get("week"))
        grids = list(_grid_choices(self.request))
        chosen = parse_id(self.request.GET.get("grid"))
        if chosen is not None:
            grids = [g for g in grids if g.pk == chosen]
        context.update(
            {
                "week": week,
                "previous_week": week - dt.timedelta(days=7),
                "next_week": week + dt.timedelta(days=7),
                "summaries": [weekly_summary(grid, week) for grid in grids],
            }
        )
        return context


class MissingEntriesView(PermissionCheckedMixin, PageMixin, TemplateView):
    """For the service centre: on each working day of the week, the grids with no patrol."""

    model = Patrol
    permission_required = "view"
    template_name = "fieldwork/admin/missing.html"
    page_title = gettext_lazy("缺少巡查记录的网格")
    header_icon = "warning"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week = parse_week(self.request.GET.get("week"))
        grids = centre_grids(self.request.user)
        context.update(
            {
                "week": week,
                "previous_week": week - dt.timedelta(days=7),
                "next_week": week + dt.timedelta(days=7),
                "has_grids": grids.exists(),
                "days": missing_entries(grids, week),
            }
        )
        return context


class PatrolViewSet(ModelViewSet):
    """/admin/fieldwork/patrols/: the field log. No generic edit or delete: a patrol is logged
    once, findings are added to it."""

    model = Patrol
    name = "fieldwork_patrols"
    url_prefix = "fieldwork/patrols"
    icon = "site"
    menu_label = gettext_lazy("巡查日志")
    menu_name = "patrols"
    menu_order = 100
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = PatrolIndexView
    form_fields = ["route"]  # no generic form view: patrols are logged by LogPatrolView
    filterset_class = PatrolFilterSet
    search_fields = ["route", "note", "findings__description"]
    search_backend_name = None
    list_per_page = 30
    ordering = ["-date", "-pk"]
    list_display = [
        TitleColumn(
            "date",
            label=gettext_lazy("日期"),
            accessor=lambda p: f"{p.date:%Y-%m-%d}",
            sort_key="date",
            url_name="fieldwork_patrols:edit",
        ),
        Column("grid", label=gettext_lazy("网格"), accessor="grid.title", sort_key="grid__code"),
        Column("route", label=gettext_lazy("路线或地点")),
        Column("worker", label=gettext_lazy("巡查人"), accessor="worker.get_username"),
        Column("minutes", label=gettext_lazy("用时（分钟）"), sort_key="minutes"),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            delete_url_name=None, history_url_name=None, usage_url_name=None, **kwargs
        )

    def get_urlpatterns(self):
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", view(LogPatrolView), name="add"),
            path("week/", view(WeeklySummaryView), name="week"),
            path("missing/", view(MissingEntriesView), name="missing"),
            path("<id:pk>/", view(PatrolView), name="edit"),
            path("findings/<id:pk>/case/", view(FindingCaseView), name="finding_case"),
            path("findings/<id:pk>/slip/", view(FindingSlipView), name="finding_slip"),
            path("photos/<id:pk>/", view(PhotoView), name="photo"),
        ]


# --- household visits ------------------------------------------------------------------------


class VisitFilterSet(WagtailFilterSet):
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=_grid_choices)
    purpose = django_filters.ChoiceFilter(
        label=gettext_lazy("走访目的"), choices=VisitPurpose.choices
    )
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("走访日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Visit
        fields = []


class VisitIndexView(generic.IndexView):
    page_title = gettext_lazy("入户走访")
    template_name = "fieldwork/admin/visit_index.html"
    permission_required = None
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return visible_visits(self.request.user).select_related("grid", "visitor", "companion")

    def get_list_more_buttons(self, instance):
        return []

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        visits = visible_visits(self.request.user)
        context["due_visits"] = visible_due_visits(visits)[:20]
        context["open_follow_ups"] = open_follow_ups(visible_cases(self.request.user)).exclude(
            visits__isnull=False
        )[:20]
        return context


class VisibleVisitMixin:
    def get_queryset(self):
        return visible_visits(self.request.user)


class VisitCreateView(generic.CreateView):
    def get_initial(self):
        initial = super().get_initial()
        user = self.request.user
        previous_id = parse_id(self.request.GET.get("previous"))
        follow_up_id = parse_id(self.request.GET.get("follow_up"))
        if previous_id and (previous := visible_visits(user).filter(pk=previous_id).first()):
            initial.update(
                {
                    "grid": previous.grid_id,
                    "address": previous.address,
                    "purpose": previous.purpose,
                    "previous": previous.pk,
                    "case": previous.case_id,
                    "follow_up": previous.follow_up_id,
                }
            )
        elif follow_up_id and (
            follow_up := open_follow_ups(visible_cases(user)).filter(pk=follow_up_id).first()
        ):
            initial.update(follow_up_initial(follow_up))
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.visitor = self.request.user
        return form


class VisitEditView(VisibleVisitMixin, generic.EditView):
    pass


class VisitViewSet(ModelViewSet):
    """/admin/fieldwork/visits/: household visits and the follow-up visits among them."""

    model = Visit
    name = "fieldwork_visits"
    url_prefix = "fieldwork/visits"
    icon = "group"
    menu_label = gettext_lazy("入户走访")
    menu_name = "visits"
    menu_order = 110
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = VisitIndexView
    add_view_class = VisitCreateView
    edit_view_class = VisitEditView
    filterset_class = VisitFilterSet
    search_fields = ["address", "outcome"]
    search_backend_name = None
    list_per_page = 30
    ordering = ["-date", "-pk"]
    list_display = [
        TitleColumn(
            "address",
            label=gettext_lazy("地址或户号"),
            url_name="fieldwork_visits:edit",
            sort_key="address",
        ),
        Column(
            "date",
            label=gettext_lazy("走访日期"),
            accessor=lambda v: f"{v.date:%Y-%m-%d}",
            sort_key="date",
        ),
        Column("grid", label=gettext_lazy("网格"), accessor="grid.title", sort_key="grid__code"),
        Column("purpose", label=gettext_lazy("走访目的"), accessor="get_purpose_display"),
        Column("visitor", label=gettext_lazy("走访人"), accessor="visitor.get_username"),
        Column(
            "follow_up_on",
            label=gettext_lazy("再次走访日期"),
            accessor=lambda v: f"{v.follow_up_on:%Y-%m-%d}" if v.follow_up_on else "",
            sort_key="follow_up_on",
        ),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            delete_url_name=None, history_url_name=None, usage_url_name=None, **kwargs
        )

    def get_form_class(self, for_update=False):
        return fw_forms.VisitForm

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", self.add_view, name="add"),
            path("<id:pk>/", self.edit_view, name="edit"),
        ]


# --- handover slips ----------------------------------------------------------------------------


OVERDUE_CHOICES = [("1", gettext_lazy("已超期未办结"))]


class SlipFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SlipState.choices)
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=_grid_choices)
    overdue = django_filters.ChoiceFilter(
        label=gettext_lazy("时限"), choices=OVERDUE_CHOICES, method="filter_overdue"
    )

    class Meta:
        model = HandoverSlip
        fields = []

    def filter_overdue(self, queryset, name, value):
        return queryset.exclude(state=SlipState.DONE).filter(deadline__lt=timezone.now())


def _slip_deadline(slip):
    text = timezone.localtime(slip.deadline).strftime("%Y-%m-%d") if slip.deadline else "—"
    return f"{text} {_('超期')}" if slip.is_overdue else text


class SlipIndexView(generic.IndexView):
    page_title = gettext_lazy("工作单")
    permission_required = None
    any_permission_required = ["view"]

    def get_base_queryset(self):
        return visible_slips(self.request.user).select_related("line", "grid")

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=[instance.pk])

    def get_list_more_buttons(self, instance):
        return []

    @property
    def header_buttons(self):
        if not self.user_has_permission("add"):
            return []
        return [HeaderButton(_("新建工作单"), url=reverse("fieldwork_slips:add"), icon_name="plus")]


class SendSlipView(PermissionCheckedMixin, PageMixin, TemplateView):
    """A slip not from a patrol: a matter met on a visit or brought to the office."""

    model = HandoverSlip
    permission_required = "add"
    template_name = "fieldwork/admin/send_slip.html"
    page_title = gettext_lazy("新建工作单")
    header_icon = "plus"

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = form or fw_forms.StandaloneSlipForm(user=self.request.user)
        return context

    def post(self, request, *args, **kwargs):
        form = fw_forms.StandaloneSlipForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        slip = send_slip(request.user, **form.cleaned_data)
        messages.success(
            request,
            _("工作单 %(number)s 已发给%(line)s。") % {"number": slip.number, "line": slip.line},
        )
        return redirect("fieldwork_slips:edit", slip.pk)


class SlipView(BaseObjectMixin, PermissionCheckedMixin, PageMixin, TemplateView):
    """One slip, its handover record, and recording the line's result for them."""

    model = HandoverSlip
    permission_required = "view"
    template_name = "fieldwork/admin/slip.html"
    header_icon = "doc-full"

    def get_base_object_queryset(self):
        return visible_slips(self.request.user).select_related(
            "line", "grid", "finding__patrol", "case", "created_by"
        )

    def get_page_title(self):
        return self.object.number

    def get_page_subtitle(self):
        return self.object.subject

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            {
                "slip": self.object,
                "events": self.object.events.select_related("actor"),
                "form": kwargs.get("form") or fw_forms.SlipResultForm(),
                "can_change": self.request.user.has_perm("fieldwork.change_handoverslip"),
            }
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("fieldwork.change_handoverslip"):
            raise PermissionDenied
        form = fw_forms.SlipResultForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            complete(
                self.object,
                form.cleaned_data["result"],
                name=request.user.get_full_name() or request.user.get_username(),
                actor=request.user,
            )
        except SlipError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已记录办理结果。"))
        return redirect("fieldwork_slips:edit", self.object.pk)


class HandoverSlipViewSet(ModelViewSet):
    """/admin/fieldwork/slips/: handover slips; they change only through fieldwork.handover."""

    model = HandoverSlip
    name = "fieldwork_slips"
    url_prefix = "fieldwork/slips"
    icon = "doc-full"
    menu_label = gettext_lazy("工作单")
    menu_name = "slips"
    menu_order = 120
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = False
    index_view_class = SlipIndexView
    form_fields = ["subject"]  # no generic form view: slips are sent by fieldwork.handover
    filterset_class = SlipFilterSet
    search_fields = ["subject", "details", "place"]
    search_backend_name = None
    list_per_page = 30
    ordering = ["-created_at", "-pk"]
    list_display = [
        TitleColumn(
            "subject",
            label=gettext_lazy("事项"),
            url_name="fieldwork_slips:edit",
            sort_key="subject",
        ),
        Column("line", label=gettext_lazy("条线"), accessor="line.name"),
        Column("grid", label=gettext_lazy("网格"), accessor="grid.title", sort_key="grid__code"),
        Column("state", label=gettext_lazy("状态"), accessor="get_state_display", sort_key="state"),
        Column("deadline", label=gettext_lazy("办理时限"), accessor=_slip_deadline),
    ]

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            delete_url_name=None, history_url_name=None, usage_url_name=None, **kwargs
        )

    def get_urlpatterns(self):
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", view(SendSlipView), name="add"),
            path("<id:pk>/", view(SlipView), name="edit"),
        ]


# --- the dashboard -----------------------------------------------------------------------------


def today_counts(user, today=None):
    """For a grid worker's dashboard: today's patrol of each of their grids, visits due, and
    open slips past their deadline, all within what `user` may see."""
    from grids.models import grids_for_user

    today = today or timezone.localdate()
    grids = list(grids_for_user(user))
    logged = set(
        Patrol.objects.filter(grid__in=grids, date=today).values_list("grid_id", flat=True)
    )
    return {
        "grids": [(grid, grid.pk in logged) for grid in grids],
        "due_visits": visible_due_visits(visible_visits(user), today).count(),
        "overdue_slips": visible_slips(user)
        .exclude(state=SlipState.DONE)
        .filter(deadline__lt=timezone.now())
        .count(),
    }
