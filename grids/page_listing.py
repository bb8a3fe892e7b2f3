"""网格列表 in the admin: every grid page in one listing, filtered by area, level and worker."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet

from portal.admin_filters import IdModelChoiceFilter
from portal.page_listing import PermittedPageListingViewSet, explorable_pages

from .models import AreaPage, GridLevel, GridPage, GridWorker


def explorable_areas(request):
    return AreaPage.objects.filter(pk__in=explorable_pages(request).values("pk")).order_by("path")


class GridPageFilterSet(PageFilterSet):
    area = IdModelChoiceFilter(label=_("所属区域"), queryset=explorable_areas, method="filter_area")
    level = IdModelChoiceFilter(label=_("网格等级"), queryset=GridLevel.objects.all())
    worker = IdModelChoiceFilter(
        label=_("网格员（A岗或B岗）"),
        queryset=GridWorker.objects.order_by("name"),
        method="filter_worker",
    )

    class Meta:
        model = GridPage
        fields = []

    def filter_area(self, queryset, name, value):
        """The grids anywhere below the area."""
        return queryset.filter(path__startswith=value.path, depth__gt=value.depth)

    def filter_worker(self, queryset, name, value):
        return queryset.filter(Q(primary_worker=value) | Q(backup_worker=value))


def _column(name):
    return next(column for column in IndexView.base_columns if column.name == name)


class GridPageListingViewSet(PermittedPageListingViewSet):
    model = GridPage
    name = "grid_pages"
    url_prefix = "grid-pages"
    icon = "table"
    menu_label = _("网格列表")
    menu_order = 210
    filterset_class = GridPageFilterSet
    ordering = "code"
    columns = [
        _column("bulk_actions"),
        _column("title"),
        Column("code", label=_("网格编码"), sort_key="code"),
        _column("parent"),
        Column("level", label=_("网格等级"), accessor="level.name", sort_key="level__sort_order"),
        Column("primary_worker", label=_("网格员（A岗）"), accessor="primary_worker.name"),
        Column("backup_worker", label=_("备岗（B岗）"), accessor="backup_worker.name"),
        _column("status"),
    ]
