"""Admin registration of the grid worker's day: one menu, 网格员工作, with the field log,
household visits and handover slips; the lines (条线) are a snippet."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_reviews
from .admin_views import HandoverSlipViewSet, PatrolViewSet, VisitViewSet, today_counts
from .models import Line


class LineViewSet(SnippetViewSet):
    """The lines slips go to, kept by the service centre (under 片段 / Snippets)."""

    model = Line
    icon = "list-ul"
    menu_label = _("条线")
    list_display = ["name", "contact_name", "email", "deadline_days", "active"]


class FieldworkViewSetGroup(ViewSetGroup):
    items = (PatrolViewSet, VisitViewSet, HandoverSlipViewSet)
    menu_icon = "site"
    menu_label = _("网格员工作")
    menu_name = "fieldwork"
    menu_order = 160


@hooks.register("register_admin_viewset")
def register_fieldwork_viewsets():
    return FieldworkViewSetGroup()


register_snippet(LineViewSet)

# The weekly meeting and its agenda, assessment and two-way reviews: their own menu
# (分析考核点评), permission policies and views in admin_reviews.py.
admin_reviews.register_policies()


@hooks.register("register_admin_viewset")
def register_review_viewsets():
    return admin_reviews.FieldworkReviewGroup()


class TodayPanel(Component):
    """Dashboard panel for a grid worker: has today's patrol been logged, visits due, slips
    overdue; one tap to log the patrol."""

    name = "fieldwork_today"
    order = 40
    template_name = "fieldwork/admin/today_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"counts": today_counts(self.user)}


@hooks.register("construct_homepage_panels")
def add_today_panel(request, panels):
    if request.user.has_perm("fieldwork.add_patrol"):
        panels.append(TodayPanel(request.user))
