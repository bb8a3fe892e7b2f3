"""Admin hooks of the portal: the working calendar, the search synonyms, allauth's password and
2FA pages, and who may download a document (portal.files)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import files
from .models import CalendarDay, SearchSynonym


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("工作日历")
    add_to_settings_menu = True
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["date", "kind", "name"]
    ordering = ["-date"]


@hooks.register("register_admin_viewset")
def register_calendar_viewset():
    return CalendarDayViewSet("working_calendar")


class SearchSynonymViewSet(SnippetViewSet):
    """Editors keep the synonym groups the site search expands queries with."""

    model = SearchSynonym
    icon = "search"
    menu_label = _("搜索同义词")
    list_display = ["words"]
    search_fields = ["words"]
    ordering = ["words"]


register_snippet(SearchSynonymViewSet)


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("修改密码"),
        "help_text": _("密码由统一登录管理"),
    }


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("两步验证"),
        "help_text": _("设置或更换手机验证器（TOTP）和恢复码"),
    }


# A document is served to the public only while a visible page uses it (portal.files).
hooks.register("before_serve_document", files.refuse_unless_public)
