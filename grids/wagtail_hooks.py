"""Admin registration: grid workers and grid levels as snippets, grouped under 网格."""

from django.contrib import messages
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import AreaPage, GridLevel, GridPage, GridWorker
from .page_listing import GridPageListingViewSet
from .tiling import area_gaps


class GridWorkerViewSet(SnippetViewSet):
    model = GridWorker
    icon = "user"
    menu_label = _("网格员")
    list_display = ["name", "title", "work_phone", "updated_at"]
    search_fields = ["name"]


class GridLevelViewSet(SnippetViewSet):
    model = GridLevel
    icon = "list-ol"
    menu_label = _("网格等级")
    list_display = ["name", "sort_order", "description"]


class GridsViewSetGroup(SnippetViewSetGroup):
    items = (GridWorkerViewSet, GridLevelViewSet)
    menu_icon = "table"
    menu_label = _("网格")
    menu_name = "grids"


register_snippet(GridsViewSetGroup)


@hooks.register("register_admin_viewset")
def register_grid_listing():
    return GridPageListingViewSet()


@hooks.register("after_publish_page")
def warn_about_remaining_gaps(request, page):
    """After publishing an area or grid, say which parts of the area are not yet covered."""
    specific = page.specific
    if not isinstance(specific, AreaPage | GridPage):
        return
    parent = specific.get_parent().specific
    for area in (parent, specific):
        if isinstance(area, AreaPage):
            gaps = area_gaps(area)
            if gaps:
                messages.warning(
                    request,
                    _("%(area)s尚未被下级完全覆盖：%(details)s")
                    % {"area": area.title, "details": " ".join(g.message() for g in gaps[:5])},
                )
