"""The configurable lists: notice categories and approval matters (snippets)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class NoticeCategory(index.Indexed, models.Model):
    """A notice category (通知公告, 疫情防控, …); the index filters by it."""

    name = models.CharField(_("名称"), max_length=40, unique=True, help_text=_("例如：通知公告"))
    slug = models.SlugField(
        _("网址名"), max_length=40, unique=True, help_text=_("用于筛选链接，只用小写字母和连字符")
    )
    epidemic_prevention = models.BooleanField(
        _("适用疫情防控规则"),
        default=False,
        help_text=_("勾选后，此类通知不得把个人姓名和电话、身份证号或门牌号写在一起"),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("epidemic_prevention"),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("通知类别")
        verbose_name_plural = _("通知类别")

    def __str__(self):
        return self.name


class ApprovalMatter(index.Indexed, models.Model):
    """A matter whose approval outcomes are published (最低生活保障, 临时救助, …)."""

    name = models.CharField(
        _("名称"), max_length=40, unique=True, help_text=_("例如：最低生活保障")
    )
    slug = models.SlugField(
        _("网址名"), max_length=40, unique=True, help_text=_("只用小写字母和连字符")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面")
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("审批事项")
        verbose_name_plural = _("审批事项")

    def __str__(self):
        return self.name
