"""Admin for notices: the configurable lists, the publicity rule, the editorial-health report.

The publicity rule itself is enforced by the page permission tester (notices.models.review);
the hooks here only hide the publish button and explain a refused publish.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import views
from .editing import PublicityPageViewSet
from .models import (
    ApprovalIndexPage,
    ApprovalMatter,
    ApprovalOutcomePage,
    NoticeCategory,
    may_publish_publicity_directly,
)
from .page_listing import NoticePageListingViewSet


class NoticeCategoryViewSet(SnippetViewSet):
    model = NoticeCategory
    icon = "tag"
    menu_label = gettext_lazy("通知类别")
    list_display = ["name", "slug", "epidemic_prevention", "sort_order"]
    add_to_settings_menu = True


class ApprovalMatterViewSet(SnippetViewSet):
    model = ApprovalMatter
    icon = "list-ul"
    menu_label = gettext_lazy("审批事项")
    list_display = ["name", "slug", "sort_order"]
    add_to_settings_menu = True


register_snippet(NoticeCategoryViewSet)
register_snippet(ApprovalMatterViewSet)


def _is_publicity(page_or_class, parent=None):
    if page_or_class is not None:
        cls = page_or_class if isinstance(page_or_class, type) else type(page_or_class.specific)
        if issubclass(cls, ApprovalOutcomePage):
            return True
    return parent is not None and isinstance(parent.specific, ApprovalIndexPage)


def _refuse_direct_publish(request, page_url):
    messages.error(
        request,
        _("公示不能直接发布：请点“提交审核”，经社区服务中心审核和街道审批后自动发布。"),
    )
    return redirect(page_url)


@hooks.register("construct_page_action_menu")
def hide_publish_for_publicity(menu_items, request, context):
    """The publish button is gone from publicity pages; "submit for review" stays."""
    page = context.get("page")
    parent = context.get("parent_page")
    if may_publish_publicity_directly(request.user):
        return
    if _is_publicity(page, parent) or (
        page is None and _is_publicity(context.get("page_class"), parent)
    ):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("before_edit_page")
def refuse_publish_on_edit(request, page):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and _is_publicity(page)
        and not may_publish_publicity_directly(request.user)
    ):
        return _refuse_direct_publish(request, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_create_page")
def refuse_publish_on_create(request, parent_page, page_class):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and _is_publicity(page_class, parent_page)
        and not may_publish_publicity_directly(request.user)
    ):
        return _refuse_direct_publish(request, request.get_full_path())
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if (
        action_type == "publish"
        and not may_publish_publicity_directly(request.user)
        and any(_is_publicity(obj) for obj in objects)
    ):
        return _refuse_direct_publish(request, reverse("wagtailadmin_explore_root"))
    return None


@hooks.register("register_admin_viewset")
def register_publicity_viewset():
    return PublicityPageViewSet("publicity_pages", model=ApprovalOutcomePage)


@hooks.register("register_admin_viewset")
def register_notice_listing():
    return NoticePageListingViewSet()


@hooks.register("register_admin_urls")
def register_health_url():
    return [
        path(
            "reports/editorial-health/",
            views.editorial_health_report,
            name="notices_editorial_health",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_health_menu_item():
    return MenuItem(
        gettext_lazy("编辑健康报告"),
        reverse("notices_editorial_health"),
        name="editorial-health",
        icon_name="warning",
        order=650,
    )
