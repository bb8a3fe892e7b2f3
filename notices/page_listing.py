"""通知列表 in the admin: every notice page in one listing, filtered by category and urgency."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.pages.listing import IndexView, PageFilterSet

from portal.admin_filters import IdModelChoiceFilter
from portal.page_listing import PermittedPageListingViewSet

from .enums import Urgency
from .models import NoticeCategory, NoticePage


class NoticePageFilterSet(PageFilterSet):
    category = IdModelChoiceFilter(label=_("类别"), queryset=NoticeCategory.objects.all())
    urgency = django_filters.ChoiceFilter(label=_("紧急程度"), choices=Urgency.choices)

    class Meta:
        model = NoticePage
        fields = []


def _column(name):
    return next(column for column in IndexView.base_columns if column.name == name)


class NoticePageListingViewSet(PermittedPageListingViewSet):
    model = NoticePage
    name = "notice_pages"
    url_prefix = "notice-pages"
    icon = "doc-full"
    menu_label = _("通知列表")
    menu_order = 220
    filterset_class = NoticePageFilterSet
    ordering = "-publication_date"
    columns = [
        _column("bulk_actions"),
        _column("title"),
        _column("parent"),
        Column("category", label=_("类别"), accessor="category.name", sort_key="category__name"),
        Column("urgency", label=_("紧急程度"), accessor="get_urgency_display", sort_key="urgency"),
        DateColumn("publication_date", label=_("发布日期"), sort_key="publication_date"),
        DateColumn("valid_until", label=_("有效期至"), sort_key="valid_until"),
        _column("status"),
    ]
