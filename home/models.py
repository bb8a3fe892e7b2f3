"""The home page and plain content pages."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from portal.blocks import BaseStreamBlock
from portal.page_tree import section_url


class HomePage(Page):
    """The portal's front page: lookup box, urgent banner and latest notices come from the apps."""

    introduction = models.TextField(
        _("导语"), blank=True, help_text=_("首页顶部的一两句话，告诉居民在这里能办什么")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("正文"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["wagtailcore.Page"]
    # Every page type that may sit under the home page; the lower apps' top pages name no
    # parent (they do not know home) and rely on this list (portal.page_tree.BelowSiteRoot).
    subpage_types = [
        "home.StandardPage",
        "grids.AreaPage",
        "notices.NoticeIndexPage",
        "notices.ApprovalIndexPage",
        "feedback.FeedbackFormPage",
    ]
    max_count = 1

    class Meta:
        verbose_name = _("首页")

    # A grid sits at least this deep below the home page (street, community, grid).
    GRID_DEPTH = 3

    def route(self, request, path_components):
        """A grid's address is looked up in one query, not two per level (grids' route_below);
        any other address, and a grid's not found so, goes down the tree level by level."""
        from grids.models import GRID_ROUTE_RELATED, GridPage, route_below

        if len(path_components) >= self.GRID_DEPTH:
            result = route_below(self, path_components, GridPage, GRID_ROUTE_RELATED)
            if result is not None:
                return result
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        """The main tasks' addresses: report a problem (the live feedback form page, if any),
        track a case, read notices."""
        from feedback.models import FeedbackFormPage
        from notices.models import NoticeIndexPage

        context = super().get_context(request, *args, **kwargs)
        # Both live right under the home page: sections of the site, which the menu has read.
        context["feedback_url"] = section_url(request, FeedbackFormPage)
        context["notice_index_url"] = section_url(request, NoticeIndexPage)
        context["tracking_url"] = reverse("feedback_track")
        return context


class StandardPage(Page):
    """An article-like page: guides, about the community, privacy notice."""

    introduction = models.TextField(
        _("导语"), blank=True, help_text=_("显示在标题下方的摘要，也用于搜索结果")
    )
    body = StreamField(BaseStreamBlock(), blank=True, verbose_name=_("正文"))

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    search_fields = Page.search_fields + [
        index.SearchField("introduction"),
        index.SearchField("body"),
    ]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
    is_article = True

    class Meta:
        verbose_name = _("普通页面")
