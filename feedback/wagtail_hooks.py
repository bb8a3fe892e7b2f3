"""Admin registration: categories, routing rules and service centres, grouped under 诉求反馈."""

from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .handling import views as handling_views
from .handling.inbox import CaseViewSet, dashboard_counts
from .handling.inbox_actions import LegacyCaseRedirectView
from .handling.visibility import visible_cases
from .intake.delivery import failed_deliveries
from .models import (
    CentreMembership,
    FeedbackCategory,
    ReplyTemplate,
    RoutingRule,
    ServiceCentre,
)
from .open311.admin import Open311KeyViewSet


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
    items = (FeedbackCategoryViewSet, RoutingRuleViewSet, ServiceCentreViewSet, Open311KeyViewSet)
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
    # The same rule as the cases themselves: only e-mails about cases this account may see.
    failed = failed_deliveries(visible_cases(request.user))
    if failed.exists():
        panels.append(FailedDeliveriesPanel(failed))


case_viewset = CaseViewSet()


@hooks.register("register_admin_viewset")
def register_case_viewset():
    return case_viewset


@hooks.register("register_admin_urls")
def register_legacy_case_urls():
    # Links in e-mails sent before the inbox moved: /admin/feedback/cases/<pk>/ (a redirect,
    # after the same visibility check) and /admin/feedback/photos/<pk>/.
    return [
        path(
            "feedback/",
            include(
                (
                    [
                        path(
                            "cases/<id:pk>/",
                            case_viewset.construct_view(LegacyCaseRedirectView),
                            name="case",
                        ),
                        path("photos/<id:pk>/", handling_views.photo, name="photo"),
                    ],
                    "feedback_admin",
                ),
                namespace="feedback_admin",
            ),
        ),
    ]


class CaseCountsPanel(Component):
    """Dashboard counts: my open cases, overdue cases, failed deliveries (within visibility)."""

    name = "feedback_case_counts"
    template_name = "feedback/admin/dashboard_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        return {"counts": dashboard_counts(self.user)}


@hooks.register("construct_homepage_panels")
def add_case_counts_panel(request, panels):
    if request.user.has_perm("feedback.view_feedback"):
        panels.append(CaseCountsPanel(request.user))


class ReplyTemplateViewSet(SnippetViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = _("答复模板")
    list_display = ["title", "category"]
    list_filter = ["category"]


class CentreMembershipViewSet(SnippetViewSet):
    model = CentreMembership
    icon = "group"
    menu_label = _("服务中心人员")
    list_display = ["centre", "user", "is_head"]


class CaseHandlingViewSetGroup(SnippetViewSetGroup):
    items = (ReplyTemplateViewSet, CentreMembershipViewSet)
    menu_icon = "doc-full"
    menu_label = _("诉求办理设置")
    menu_name = "case-handling-settings"


register_snippet(CaseHandlingViewSetGroup)
