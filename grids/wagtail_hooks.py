"""Admin registration: grid workers and grid levels as snippets, grouped under 网格."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import GridLevel, GridWorker


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
