"""The staff inbox (/admin/cases/): a Wagtail ModelViewSet over the cases a member of staff
may see. Its filters, sortable columns, CSV/XLSX export, the case page and every action on a
case are views of this viewset, and each takes its cases from
feedback.handling.visibility.visible_cases,
so a case outside that set is a 404 on every one of them."""

import datetime as dt

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.urls import path, reverse, reverse_lazy
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from grids.models import GridPage
from portal import csv_export
from portal.admin_filters import IdModelChoiceFilter

from ..enums import CaseState
from ..intake.delivery import failed_deliveries
from ..models import Feedback, FeedbackCategory
from . import inbox_actions
from . import transitions as workflow
from .visibility import visible_cases

DUE_CHOICES = [("overdue", gettext_lazy("已超期")), ("week", gettext_lazy("本周到期"))]


def visible_grids(request):
    """The grids of the cases the account may see (the grid filter's choices)."""
    return GridPage.objects.filter(pk__in=visible_cases(request.user).values("grid")).order_by(
        "code"
    )


class CaseFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("状态"), choices=CaseState.choices)
    category = IdModelChoiceFilter(
        label=gettext_lazy("类别"), queryset=FeedbackCategory.objects.all()
    )
    grid = IdModelChoiceFilter(label=gettext_lazy("网格"), queryset=visible_grids)
    due = django_filters.ChoiceFilter(
        label=gettext_lazy("时限"), choices=DUE_CHOICES, method="filter_due"
    )
    mine = django_filters.ChoiceFilter(
        label=gettext_lazy("只看我的"),
        choices=[("1", gettext_lazy("派给我或我首问负责的"))],
        method="filter_mine",
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("受理日期"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Feedback
        fields = []

    def filter_due(self, queryset, name, value):
        now = timezone.now()
        queryset = queryset.filter(state__in=workflow.OPEN_STATES)
        if value == "overdue":
            return queryset.filter(deadline__lt=now)
        return queryset.filter(deadline__gte=now, deadline__lt=now + dt.timedelta(7))

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return queryset.filter(Q(assignee=user) | Q(owner=user))


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def deadline_cell(case):
    """The deadline, flagged when the case is overdue."""
    if workflow.is_overdue(case):
        return format_html(
            '{} <strong class="overdue-flag">{}</strong>', _local(case.deadline), _("超期")
        )
    return _local(case.deadline) or "—"


def is_late(case):
    """Closed after its deadline, or still open past it."""
    if case.closed_at and case.deadline:
        return case.closed_at > case.deadline
    return workflow.is_overdue(case)


# The export's columns: (heading, value of a case). No resident's contact details, no tracking
# code: an export leaves the portal.
EXPORT_COLUMNS = {
    "ticket_number": (gettext_lazy("工单号"), lambda c: c.ticket_number),
    "category": (gettext_lazy("类别"), lambda c: c.category.name),
    "grid": (gettext_lazy("网格"), lambda c: c.grid.title if c.grid else ""),
    "subject": (gettext_lazy("标题"), lambda c: c.subject),
    "source": (gettext_lazy("来源"), lambda c: c.get_source_display()),
    "state": (gettext_lazy("状态"), lambda c: c.get_state_display()),
    "created_at": (gettext_lazy("受理时间"), lambda c: c.created_at),
    "dispatched_at": (gettext_lazy("派遣时间"), lambda c: c.dispatched_at),
    "deadline": (gettext_lazy("办理时限"), lambda c: c.deadline),
    "closed_at": (gettext_lazy("办结时间"), lambda c: c.closed_at),
    "late": (gettext_lazy("是否超期"), lambda c: _("是") if is_late(c) else _("否")),
    "rating": (
        gettext_lazy("评价"),
        lambda c: c.rating.get_level_display() if hasattr(c, "rating") else "",
    ),
}


def _local_naive(moment):
    return timezone.make_naive(moment) if timezone.is_aware(moment) else moment


class CaseIndexView(generic.IndexView):
    """The case list: visible cases only, with the staff's filters and a formula-safe export."""

    page_title = gettext_lazy("诉求办理")
    # The inbox needs the view permission (the menu item reads this too).
    permission_required = None
    any_permission_required = ["view"]
    statistics_url_name = None
    file_url_name = None
    custom_value_preprocess = {
        # Times in the portal's time zone, as staff read them on the case page.
        dt.datetime: {
            generic.IndexView.FORMAT_CSV: _local,
            generic.IndexView.FORMAT_XLSX: _local_naive,
        },
    }

    def get_base_queryset(self):
        return visible_cases(self.request.user).select_related(
            "category", "grid", "assignee", "owner", "rating"
        )

    def get_edit_url(self, instance):
        # The case page needs only the view permission (acting on it needs change).
        if self.user_has_permission("view"):
            return reverse(self.edit_url_name, args=[instance.pk])
        return None

    def get_list_more_buttons(self, instance):
        return []

    @property
    def header_buttons(self):
        if not self.user_has_permission("change"):
            return []
        return [
            HeaderButton(_("代居民登记诉求"), url=reverse(self.file_url_name), icon_name="plus")
        ]

    @property
    def header_more_buttons(self):
        return [
            *super().header_more_buttons,
            Button(
                _("导出统计（CSV）"),
                url=reverse(self.statistics_url_name),
                icon_name="download",
                priority=110,
            ),
        ]

    # --- the export: every cell through portal.csv_export, as every staff download ---

    def to_row_dict(self, item):
        return {field: EXPORT_COLUMNS[field][1](item) for field in self.list_export}

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: csv_export.safe_cell(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )

    def stream_csv(self, queryset):
        yield "\ufeff".encode()  # so spreadsheet programs read the Chinese text as UTF-8
        yield from super().stream_csv(queryset)


class CaseViewSet(ModelViewSet):
    """/admin/cases/: the inbox, the case page and its actions, filing a case for a resident,
    the exports. There is no generic add/edit/delete/copy/history: cases change only through
    feedback.handling.transitions."""

    model = Feedback
    name = "feedback_cases"
    url_prefix = "cases"
    icon = "mail"
    menu_label = gettext_lazy("诉求办理")
    menu_name = "cases"
    menu_order = 150
    add_to_admin_menu = True
    add_to_reference_index = False  # a grid's usage page must not list its cases
    copy_view_enabled = False
    index_view_class = CaseIndexView
    filterset_class = CaseFilterSet
    search_fields = ["ticket_number", "subject", "message", "place"]
    search_backend_name = None
    list_per_page = 50
    ordering = "-created_at"
    list_display = [
        TitleColumn(
            "ticket_number",
            label=gettext_lazy("工单号"),
            sort_key="ticket_number",
            url_name="feedback_cases:edit",
        ),
        Column("subject", label=gettext_lazy("标题"), sort_key="subject"),
        Column(
            "category",
            label=gettext_lazy("类别"),
            accessor="category.name",
            sort_key="category__name",
        ),
        Column("grid", label=gettext_lazy("网格"), accessor="grid.title", sort_key="grid__code"),
        Column("state", label=gettext_lazy("状态"), accessor="get_state_display", sort_key="state"),
        Column(
            "deadline", label=gettext_lazy("办理时限"), accessor=deadline_cell, sort_key="deadline"
        ),
        Column(
            "assignee",
            label=gettext_lazy("承办人"),
            accessor="assignee.get_username",
            sort_key="assignee__username",
        ),
        Column(
            "created_at",
            label=gettext_lazy("受理时间"),
            accessor=lambda c: _local(c.created_at),
            sort_key="created_at",
        ),
    ]
    list_export = list(EXPORT_COLUMNS)
    export_headings = {field: heading for field, (heading, _value) in EXPORT_COLUMNS.items()}
    export_filename = "cases"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            add_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            breadcrumbs_items=[
                *generic.IndexView.breadcrumbs_items,
                {"url": reverse_lazy(self.get_url_name("index")), "label": self.menu_label},
            ],
            **kwargs,
        )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            statistics_url_name=self.get_url_name("statistics"),
            file_url_name=self.get_url_name("file"),
            breadcrumbs_items=generic.IndexView.breadcrumbs_items,
            **kwargs,
        )

    def get_permissions_to_register(self):
        # view (the inbox), change (acting on a case), view_contact_details (contact, photos).
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Feedback),
            codename__in=["view_feedback", "change_feedback", "view_contact_details"],
        )

    def get_urlpatterns(self):
        view = self.construct_view
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("new/", view(inbox_actions.FileCaseView), name="file"),
            path(
                "export/statistics.csv",
                view(inbox_actions.StatisticsExportView),
                name="statistics",
            ),
            path("<id:pk>/", view(inbox_actions.CaseView), name="edit"),
            path("<id:pk>/contact/", view(inbox_actions.ContactView), name="contact"),
            path("<id:pk>/action/", view(inbox_actions.ActionView), name="action"),
            path("<id:pk>/photos/<id:photo_pk>/", view(inbox_actions.PhotoView), name="photo"),
        ]


def dashboard_counts(user):
    """My open cases, overdue cases and failed e-mails, within what `user` may see."""
    visible = visible_cases(user)
    now = timezone.now()
    return {
        "mine": visible.filter(state__in=workflow.OPEN_STATES)
        .filter(Q(assignee=user) | Q(owner=user))
        .count(),
        "overdue": visible.filter(state__in=workflow.OPEN_STATES, deadline__lt=now).count(),
        "failed": failed_deliveries(visible).count(),
    }
