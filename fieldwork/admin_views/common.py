"""What the fieldwork admin views share: the page frame, grid choices, the week asked for,
and the list view every record list starts from."""

import datetime as dt

from django.utils import timezone
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..patrols import (
    week_start_of,
)
from ..visibility import (
    visible_grids,
)


def grid_choices(request):
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


class RecordIndexView(generic.IndexView):
    """A list of fieldwork records: open to whoever may view them (the viewset's permission
    policy), the records from fieldwork.visibility (`get_base_queryset`), no per-row menu."""

    permission_required = None
    any_permission_required = ["view"]

    def get_list_more_buttons(self, instance):
        return []
