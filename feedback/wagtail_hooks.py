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
