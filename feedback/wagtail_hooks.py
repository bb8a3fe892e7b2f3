"""Admin registration: categories, routing rules and service centres, grouped under 诉求反馈."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views, views
from .delivery import failed_deliveries
from .models import FeedbackCategory, RoutingRule, ServiceCentre


class FeedbackCategoryViewSet(SnippetViewSet):
    model = FeedbackCategory
    icon = "tag"
    menu_label = _("诉求类别")
    list_display = ["name", "work_type", "deadline_text", "emergency", "sort_order", "active"]


class RoutingRuleViewSet(SnippetViewSet):
    model = RoutingRule
    icon = "mail"
    menu_label = _("转送规则")
    list_display = ["name", "recipient", "work_type", "emergency_only", "sort_order", "active"]


class ServiceCentreViewSet(SnippetViewSet):
    model = ServiceCentre
    icon = "home"
    menu_label = _("社区服务中心")
    list_display = ["name", "community", "is_default"]


class FeedbackViewSetGroup(SnippetViewSetGroup):
    items = (FeedbackCategoryViewSet, RoutingRuleViewSet, ServiceCentreViewSet)
    menu_icon = "mail"
    menu_label = _("诉求设置")
    menu_name = "feedback-settings"


register_snippet(FeedbackViewSetGroup)


class FailedDeliveriesPanel(Component):
    """Dashboard panel: e-mails about cases that post_office gave up on after all retries."""

    name = "feedback_failed_deliveries"
    order = 50
    template_name = "feedback/admin/failed_deliveries_panel.html"

    def __init__(self, queryset):
        self.queryset = queryset

    def get_context_data(self, parent_context=None):
        return {"deliveries": list(self.queryset[:10]), "count": self.queryset.count()}


@hooks.register("construct_homepage_panels")
def add_failed_deliveries_panel(request, panels):
    if not request.user.has_perm("feedback.view_feedback"):
        return
    failed = failed_deliveries()
    if failed.exists():
        panels.append(FailedDeliveriesPanel(failed))


@hooks.register("register_admin_urls")
def register_case_urls():
    return [
        path(
            "feedback/",
            include(
                (
                    [
                        path("cases/<int:pk>/", admin_views.case_detail, name="case"),
                        path("photos/<int:pk>/", views.photo, name="photo"),
                    ],
                    "feedback_admin",
                ),
                namespace="feedback_admin",
            ),
        )
    ]
