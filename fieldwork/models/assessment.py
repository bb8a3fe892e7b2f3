"""Assessment (考核): the community's weights, and each grid's figures per month and year.

The figures come from the records (`fieldwork.scoring`); the weights are the community's
choice. A published assessment appears per grid on the public statistics page (网格管理服务
公示制度), with the worker's public name and nothing else about them.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel

from .reviews import COMMUNITY_CHOICES

PERCENT = [MaxValueValidator(100)]

# The parts of a score, in the order they are shown: (field on the weights, field on the
# assessment, label).
PARTS = [
    ("on_time_weight", "on_time_rate", _("按时办结率")),
    ("rating_weight", "satisfaction_rate", _("诉求满意率")),
    ("patrol_weight", "patrol_coverage", _("巡查覆盖率")),
    ("visit_weight", "visit_rate", _("入户走访完成率")),
    ("survey_weight", "survey_rate", _("满意度测评满意率")),
]


class AssessmentWeights(models.Model):
    """How much each figure counts in a community's assessment score (percent, summing to 100)."""

    community = models.OneToOneField(
        "grids.AreaPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="assessment_weights",
        limit_choices_to=COMMUNITY_CHOICES,
    )
    on_time_weight = models.PositiveSmallIntegerField(
        _("按时办结率权重（%）"), default=30, validators=PERCENT
    )
    rating_weight = models.PositiveSmallIntegerField(
        _("诉求满意率权重（%）"), default=20, validators=PERCENT
    )
    patrol_weight = models.PositiveSmallIntegerField(
        _("巡查覆盖率权重（%）"), default=20, validators=PERCENT
    )
    visit_weight = models.PositiveSmallIntegerField(
        _("入户走访完成率权重（%）"), default=15, validators=PERCENT
    )
    survey_weight = models.PositiveSmallIntegerField(
        _("满意度测评权重（%）"), default=15, validators=PERCENT
    )
    visits_per_month = models.PositiveSmallIntegerField(
        _("每月走访户数目标"),
        default=20,
        help_text=_("每个网格每月应走访的户数；完成率超过100%按100%计"),
    )

    panels = [
        FieldPanel("community"),
        MultiFieldPanel(
            [FieldPanel(weight) for weight, _field, _label in PARTS],
            heading=_("权重（合计100%）"),
        ),
        FieldPanel("visits_per_month"),
    ]

    class Meta:
        verbose_name = _("考核权重")
        verbose_name_plural = _("考核权重")

    def __str__(self):
        return str(_("%(community)s考核权重") % {"community": self.community.title})

    @property
    def total(self):
        return sum(getattr(self, weight) or 0 for weight, _field, _label in PARTS)

    def clean(self):
        super().clean()
        if self.total != 100:
            raise ValidationError(
                _("各项权重合计应为100%%，现在是%(total)s%%。") % {"total": self.total}
            )


class AssessmentPeriod(models.TextChoices):
    MONTH = "month", _("月度")
    YEAR = "year", _("年度")


class Assessment(models.Model):
    """A grid's assessment for one month ("2026-11") or year ("2026"), figures in percent."""

    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    worker = models.ForeignKey(
        "grids.GridWorker",
        verbose_name=_("网格员（A岗）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
    )
    kind = models.CharField(_("周期"), max_length=5, choices=AssessmentPeriod.choices)
    period = models.CharField(_("考核期"), max_length=7, help_text=_("例如 2026-11 或 2026"))
    on_time_rate = models.FloatField(_("按时办结率"), null=True, blank=True)
    satisfaction_rate = models.FloatField(_("诉求满意率"), null=True, blank=True)
    patrol_coverage = models.FloatField(_("巡查覆盖率"), null=True, blank=True)
    visits = models.PositiveIntegerField(_("入户走访户数"), default=0)
    visit_rate = models.FloatField(_("入户走访完成率"), null=True, blank=True)
    survey_rate = models.FloatField(_("满意度测评满意率"), null=True, blank=True)
    score = models.FloatField(_("综合得分"), null=True, blank=True)
    published = models.BooleanField(
        _("公示"), default=False, help_text=_("公示后在网站的统计页按网格显示")
    )
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    panels = [FieldPanel("published")]

    class Meta:
        ordering = ["-period", "grid__code"]
        verbose_name = _("考核结果")
        verbose_name_plural = _("考核结果")
        constraints = [
            models.UniqueConstraint(fields=["grid", "period"], name="fieldwork_one_assessment")
        ]

    def __str__(self):
        return f"{self.grid.title} {self.period}"
