"""The portal's own models: site settings (footer, government-site meta tags), the working
calendar, data versions (portal.versions), the search synonyms (portal.search.synonyms) and the
log of the worker's daily jobs."""

import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """The portal's footer details and filings; an empty field is simply not shown."""

    sponsor = models.CharField(
        _("主办单位"), max_length=120, blank=True, help_text=_("例如：某某街道办事处")
    )
    address = models.CharField(
        _("地址"), max_length=200, blank=True, help_text=_("主办单位的办公地址")
    )
    phone = models.CharField(
        _("联系电话"), max_length=40, blank=True, help_text=_("社区服务中心的公开电话")
    )
    supervision_phone = models.CharField(
        _("监督电话"), max_length=40, blank=True, help_text=_("受理投诉与监督的电话")
    )
    hotline = models.CharField(
        _("市民服务热线"),
        max_length=40,
        blank=True,
        default="12345",
        help_text=_("本市的政务服务便民热线，显示在页脚和反映问题的表单上；留空则不显示"),
    )
    description = models.CharField(
        _("网站简介"),
        max_length=200,
        blank=True,
        help_text=_(
            "一两句话说明本站能办什么；页面没有自己的摘要时，用于搜索结果和分享到微信等的链接卡片"
        ),
    )
    icp_filing = models.CharField(
        _("ICP备案号"),
        max_length=60,
        blank=True,
        help_text=_("例如：京ICP备12345678号；页脚链接到工业和信息化部备案系统"),
    )
    public_security_filing = models.CharField(
        _("公安备案号"), max_length=60, blank=True, help_text=_("例如：京公网安备11010502000001号")
    )
    public_security_filing_url = models.URLField(
        _("公安备案链接"), blank=True, help_text=_("公安备案号的查询地址")
    )
    site_id_code = models.CharField(
        _("网站标识码"), max_length=20, blank=True, help_text=_("政府网站的网站标识码")
    )
    government_mode = models.BooleanField(
        _("政府网站模式"),
        default=False,
        help_text=_("显示党政机关网站标识，并在每页加入 SiteName、SiteDomain、SiteIDCode 元数据"),
    )

    panels = [
        MultiFieldPanel(
            [FieldPanel("sponsor"), FieldPanel("address"), FieldPanel("phone")],
            heading=_("主办单位"),
        ),
        FieldPanel("supervision_phone"),
        FieldPanel("hotline"),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("icp_filing"),
                FieldPanel("public_security_filing"),
                FieldPanel("public_security_filing_url"),
                FieldPanel("site_id_code"),
                FieldPanel("government_mode"),
            ],
            heading=_("备案与标识"),
        ),
    ]

    class Meta:
        verbose_name = _("站点设置")
        verbose_name_plural = _("站点设置")

    def __str__(self):
        return str(self._meta.verbose_name)

    MIIT_FILING_URL = "https://beian.miit.gov.cn/"


class CalendarDay(models.Model):
    """One date that breaks the Monday-to-Friday rule: a holiday or a make-up working day (调休).

    Dates not listed here follow the week: Monday to Friday are working days.
    """

    HOLIDAY = "holiday"
    WORKING_DAY = "working_day"
    KIND_CHOICES = [(HOLIDAY, _("节假日（休息）")), (WORKING_DAY, _("调休上班日"))]

    date = models.DateField(_("日期"), unique=True, help_text=_("这一天的日期"))
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=KIND_CHOICES,
        help_text=_("节假日按休息计算；调休上班日即使是周末也按工作日计算"),
    )
    name = models.CharField(
        _("名称"),
        max_length=40,
        blank=True,
        help_text=_("例如：国庆节、春节；调休日可写“国庆节调休”"),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("工作日历日期")
        verbose_name_plural = _("工作日历")

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    @property
    def is_working_day(self):
        return self.kind == self.WORKING_DAY


class DataVersion(models.Model):
    """The version number of one kind of shared data (the page tree, notice lists, the area tree).

    Kept in the database, not in a cache: every process (web workers, the worker) reads the
    same number whether or not Redis is configured, and a change and its new version commit in
    the same transaction. See portal.versions.
    """

    name = models.CharField(max_length=64, primary_key=True)
    version = models.BigIntegerField()

    class Meta:
        verbose_name = _("数据版本")
        verbose_name_plural = _("数据版本")

    def __str__(self):
        return f"{self.name}={self.version}"


class JobRun(models.Model):
    """One run of a worker's daily job (digest, retention) with what it did: a log, and a guard
    so a job run twice on one day does its work once (see `claim`)."""

    name = models.CharField(_("任务"), max_length=40)
    day = models.DateField(_("日期"))
    details = models.TextField(_("结果"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="portal_job_once")]

    def __str__(self):
        return f"{self.name} {self.day}"

    @classmethod
    def claim(cls, name, day):
        """Record the run of the daily job `name` on `day`; None when it already ran that day."""
        try:
            with transaction.atomic():
                return cls.objects.create(name=name, day=day)
        except IntegrityError:
            return None


# Between synonyms: spaces, and Latin or Chinese commas, enumeration commas and semicolons.
SYNONYM_SEPARATORS = re.compile(r"[\s,，、;；]+")


class SearchSynonym(models.Model):
    """Words residents use for the same thing (低保, 最低生活保障): a search for one finds all.

    Site-wide, kept by editors in the admin; used when a search query is read
    (portal.search.synonyms), so nothing needs reindexing after a change.
    """

    words = models.CharField(
        _("同义词"),
        max_length=200,
        unique=True,
        help_text=_("两个或更多意思相同的词，用空格或逗号分开，例如：低保 最低生活保障"),
    )

    class Meta:
        ordering = ["words"]
        verbose_name = _("搜索同义词")
        verbose_name_plural = _("搜索同义词")

    def __str__(self):
        return self.words

    def word_list(self):
        """The group's words, in order, without repeats."""
        return list(dict.fromkeys(SYNONYM_SEPARATORS.sub(" ", self.words).split()))

    def clean(self):
        words = self.word_list()
        if len(words) < 2:
            raise ValidationError({"words": _("请至少填写两个词。")})
        if any(len(word) > 20 for word in words):
            raise ValidationError({"words": _("每个词最多 20 个字。")})
        self.words = " ".join(words)
