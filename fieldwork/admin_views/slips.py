"""Handover slips in the admin (/admin/fieldwork/slips/)."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic.base import BaseObjectMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton

from portal.admin_filters import IdModelChoiceFilter

from .. import forms as fw_forms
from ..handover import SlipError, complete, send_slip
from ..models import HandoverSlip, SlipState
from ..visibility import (
    visible_slips,
)
from .common import PageMixin, RecordIndexView, grid_choices

OVERDUE_CHOICES = [("1", gettext_lazy("已超期未办结"))]


class SlipFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=SlipState.choices)
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=grid_choices)
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


class SlipIndexView(RecordIndexView):
    page_title = gettext_lazy("工作单")

    def get_base_queryset(self):
        return visible_slips(self.request.user).select_related("line", "grid")

    def get_edit_url(self, instance):
        return reverse(self.edit_url_name, args=[instance.pk])

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
