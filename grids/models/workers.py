"""Grid workers (snippet with revisions), their leave periods, and the configurable grid levels."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.images.models import Filter
from wagtail.models import Orderable, RevisionMixin
from wagtail.search import index


class GridLevel(models.Model):
    """A grid level (网格等级) from the configurable list, e.g. 日常管理型 … 严密管控型."""

    name = models.CharField(
        _("名称"), max_length=40, unique=True, help_text=_("例如：日常管理型、重点关注型")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在前面，也决定地图图例的顺序")
    )
    colour = models.CharField(
        _("地图颜色"),
        max_length=7,
        default="#d9e8f5",
        help_text=_("地图上该等级网格的填充色，十六进制，例如 #d9e8f5；请选浅色，使文字清晰"),
    )
    description = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("这一等级的网格如何管理，一句话")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("sort_order"),
        FieldPanel("colour"),
        FieldPanel("description"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("网格等级")
        verbose_name_plural = _("网格等级")

    def __str__(self):
        return self.name

    def clean(self):
        colour = self.colour or ""
        if (
            len(colour) != 7
            or colour[0] != "#"
            or any(c not in "0123456789abcdefABCDEF" for c in colour[1:])
        ):
            raise ValidationError({"colour": _("请输入#开头的六位十六进制颜色，例如 #d9e8f5。")})


class GridWorker(RevisionMixin, index.Indexed, ClusterableModel):
    """A grid worker (网格员): public name, photo, title, work phone and duties.

    `email` and `user` are private: they route the worker's inbox and are never shown on a
    public page, API or search result. Saving a worker (or editing their photo) raises the
    "workers" version (grids.signals) that their cached card is kept under, so no page shows a
    stale photo or phone.
    """

    name = models.CharField(_("姓名"), max_length=40, help_text=_("公开显示的姓名"))
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("照片"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("正面工作照；请设置焦点，使头像裁剪时保留面部"),
    )
    title = models.CharField(
        _("职务"), max_length=60, blank=True, help_text=_("例如：专职网格员、社区居委会委员")
    )
    work_phone = models.CharField(
        _("工作电话"), max_length=40, help_text=_("公开的工作电话，居民可直接拨打")
    )
    email = models.EmailField(
        _("电子邮箱（不公开）"),
        blank=True,
        help_text=_("用于接收居民诉求通知，不在网站上显示"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("后台账号（不公开）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_workers",
        help_text=_("网格员登录后台处理诉求所用的账号，不在网站上显示"),
    )
    duties = models.TextField(
        _("工作职责"), blank=True, help_text=_("向居民说明可以找网格员办什么，几句话即可")
    )
    languages = models.CharField(
        _("使用语言"), max_length=120, blank=True, help_text=_("例如：普通话、粤语、手语")
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("photo"),
                FieldPanel("title"),
                FieldPanel("work_phone"),
                FieldPanel("duties"),
                FieldPanel("languages"),
            ],
            heading=_("公开信息"),
        ),
        MultiFieldPanel(
            [FieldPanel("email"), FieldPanel("user")],
            heading=_("不公开的信息"),
        ),
        InlinePanel("leave_periods", label=_("请假"), heading=_("请假期间（由B岗顶岗）")),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("网格员")
        verbose_name_plural = _("网格员")

    def __str__(self):
        return self.name

    # The photo on a worker's public card (and in the grid lookup's answer).
    CARD_PHOTO_SPEC = "fill-240x300-c100"

    def know_leave_on(self, day, period):
        """Tell the worker its leave period covering `day` (None: none), found by a loader that
        joined it (grids.context.load_workers), so that `leave_on(day)` asks nothing."""
        self._known_leave = (day, period)

    def know_card_rendition(self, rendition):
        """Tell the worker the card's rendition of its photo (None: none yet), found by a loader
        that joined it, so that `card_photo_tag()` asks nothing."""
        self._known_card_rendition = rendition

    def card_photo_tag(self):
        """The card's `<img>` of the photo ("" without one): the rendition a loader joined when
        it is of the photo's current focal point, else the photo's own, made if need be."""
        if self.photo is None:
            return ""
        spec = Filter(spec=self.CARD_PHOTO_SPEC)
        rendition = getattr(self, "_known_card_rendition", None)
        if rendition is None or rendition.focal_point_key != spec.get_cache_key(self.photo):
            rendition = self.photo.get_rendition(spec)
        else:
            rendition.image = self.photo  # joined apart: its <img> reads the photo's alt text
        return rendition.img_tag({"class": "worker__photo", "alt": ""})

    def leave_on(self, day=None):
        """The leave period covering `day` (default: today), or None.

        Uses what a loader told (`know_leave_on`), else prefetched `leave_periods` when they were
        prefetched, so a page listing many workers needs no query per worker.
        """
        day = day or timezone.localdate()
        known = getattr(self, "_known_leave", None)
        if known is not None and known[0] == day:
            return known[1]
        for period in self.leave_periods.all():
            if period.starts_on <= day <= period.ends_on:
                return period
        return None

    def is_on_leave(self, day=None):
        """True when a leave period covers `day` (default: today)."""
        return self.leave_on(day) is not None


class LeavePeriod(Orderable):
    """A period a worker is away; the backup covers their grids. The reason is private."""

    worker = ParentalKey(GridWorker, on_delete=models.CASCADE, related_name="leave_periods")
    starts_on = models.DateField(_("开始日期"), help_text=_("请假的第一天"))
    ends_on = models.DateField(_("结束日期"), help_text=_("请假的最后一天（含这一天）"))
    reason = models.CharField(
        _("事由（不公开）"), max_length=120, blank=True, help_text=_("仅工作人员可见")
    )

    panels = [FieldPanel("starts_on"), FieldPanel("ends_on"), FieldPanel("reason")]

    class Meta(Orderable.Meta):
        verbose_name = _("请假")
        verbose_name_plural = _("请假")

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})
