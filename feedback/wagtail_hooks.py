"""Admin registration: categories, routing rules and service centres, grouped under 诉求反馈."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

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


# --- Case handling: the staff inbox, its dashboard counts, reply templates, centre staff ---

from django.urls import include, path, reverse  # noqa: E402
from wagtail import hooks  # noqa: E402
from wagtail.admin.menu import MenuItem  # noqa: E402
from wagtail.admin.ui.components import Component  # noqa: E402

from .models import CentreMembership, ReplyTemplate  # noqa: E402


@hooks.register("register_admin_urls")
def register_case_urls():
    return [path("cases/", include("feedback.admin_urls"))]


class CaseMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("feedback.view_feedback")


@hooks.register("register_admin_menu_item")
def register_case_menu_item():
    return CaseMenuItem(_("诉求办理"), reverse("feedback_admin_inbox"), icon_name="mail", order=150)


class CaseCountsPanel(Component):
    """Dashboard counts: my open cases, overdue cases, failed deliveries (within visibility)."""

    name = "feedback_case_counts"
    template_name = "feedback/admin/dashboard_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from .admin_views import dashboard_counts

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
