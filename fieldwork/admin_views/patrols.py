"""The field log in the admin: patrols and their findings (/admin/fieldwork/patrols/), the
week's summary per grid and the report of grids with no patrol on a working day."""

import datetime as dt

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from feedback.intake.photos import MAX_PHOTOS, clean_photo
from portal.admin_filters import IdModelChoiceFilter
from portal.parsing import parse_id

from .. import forms as fw_forms
from ..models import FindingOutcome, HandoverSlip, Patrol
from ..patrols import (
    FindingError,
    finding_to_case,
    finding_to_slip,
    log_patrol,
    missing_entries,
    weekly_summary,
)
from ..visibility import (
    centre_grids,
    visible_findings,
    visible_patrols,
    visible_photos,
)
from .common import PageMixin, RecordIndexView, grid_choices, parse_week


class PatrolFilterSet(WagtailFilterSet):
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=grid_choices)
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Patrol
        fields = []


class PatrolIndexView(RecordIndexView):
    page_title = gettext_lazy("巡查日志")

    def get_base_queryset(self):
        return visible_patrols(self.request.user).select_related("grid", "worker")

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=[instance.pk])

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
        grids = list(grid_choices(self.request))
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
