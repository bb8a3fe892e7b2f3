"""Household visits in the admin (/admin/fieldwork/visits/)."""

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from feedback.handling.visibility import visible_cases
from portal.admin_filters import IdModelChoiceFilter
from portal.parsing import parse_id

from .. import forms as fw_forms
from ..models import Visit, VisitPurpose
from ..visibility import (
    visible_visits,
)
from ..visiting import follow_up_initial, open_follow_ups, visible_due_visits
from .common import RecordIndexView, grid_choices


class VisitFilterSet(WagtailFilterSet):
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=grid_choices)
    purpose = django_filters.ChoiceFilter(
        label=gettext_lazy("走访目的"), choices=VisitPurpose.choices
    )
    date = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("走访日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Visit
        fields = []


class VisitIndexView(RecordIndexView):
    page_title = gettext_lazy("入户走访")
    template_name = "fieldwork/admin/visit_index.html"

    def get_base_queryset(self):
        return visible_visits(self.request.user).select_related("grid", "visitor", "companion")

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
