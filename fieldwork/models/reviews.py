"""Two-way reviews (双向点评): a campaign, its reviews scored on seven aspects, and the
improvement actions decided from the results.

Downward, departments review the community and the community reviews its grids; upward, the
grids review the community and the community reviews the departments. Residents review their
grid through the grid survey (`feedback.GridSurveyRating`); a campaign reads the survey
ratings of its period and never asks residents for anything more.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from grids.enums import COMMUNITY_LEVELS

COMMUNITY_CHOICES = {"level__in": list(COMMUNITY_LEVELS)}


class ReviewAspect(models.TextChoices):
    """The seven aspects every review scores (the plans' 七个方面)."""

    DIVISION = "division", _("网格划分是否科学合理")
    PROCESS = "process", _("工作流程是否适用")
    DUTIES = "duties", _("岗位职责是否明确")
    INCENTIVES = "incentives", _("考核奖惩是否到位")
    STYLE = "style", _("工作作风是否扎实")
    RESULTS = "results", _("工作成效是否明显")
    SATISFACTION = "satisfaction", _("群众是否满意")


class ReviewPair(models.TextChoices):
    """Who reviews whom; the community is one side of every pair but the residents'."""

    DEPARTMENT_COMMUNITY = "department_community", _("部门评社区")
    COMMUNITY_GRID = "community_grid", _("社区评网格")
    RESIDENT_GRID = "resident_grid", _("居民评网格")
    GRID_COMMUNITY = "grid_community", _("网格评社区")
    COMMUNITY_DEPARTMENT = "community_department", _("社区评部门")

    @property
    def downward(self):
        return self in (ReviewPair.DEPARTMENT_COMMUNITY, ReviewPair.COMMUNITY_GRID)

    @property
    def needs_grid(self):
        return self in (ReviewPair.COMMUNITY_GRID, ReviewPair.GRID_COMMUNITY)

    @property
    def needs_department(self):
        return self in (ReviewPair.DEPARTMENT_COMMUNITY, ReviewPair.COMMUNITY_DEPARTMENT)


# The pairs entered as reviews in the admin (residents answer the grid survey instead).
ENTERED_PAIRS = [pair for pair in ReviewPair if pair != ReviewPair.RESIDENT_GRID]


class ReviewCampaign(ClusterableModel):
    """One round of two-way reviews in a community: its period, the pairs it covers, whether
    its results are public, and the improvement actions decided from them."""

    community = models.ForeignKey(
        "grids.AreaPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="review_campaigns",
        limit_choices_to=COMMUNITY_CHOICES,
        help_text=_("开展点评的社区（或村）"),
    )
    title = models.CharField(_("名称"), max_length=80, help_text=_("例如：2026年第四季度双向点评"))
    starts_on = models.DateField(_("开始日期"), help_text=_("点评期的第一天"))
    ends_on = models.DateField(
        _("结束日期"), help_text=_("点评期的最后一天；居民的满意度测评按这段时间统计")
    )
    department_community = models.BooleanField(
        ReviewPair.DEPARTMENT_COMMUNITY.label, default=True, help_text=_("街道职能部门点评社区")
    )
    community_grid = models.BooleanField(
        ReviewPair.COMMUNITY_GRID.label, default=True, help_text=_("社区点评各网格")
    )
    resident_grid = models.BooleanField(
        ReviewPair.RESIDENT_GRID.label,
        default=True,
        help_text=_("居民通过网格服务满意度测评参与，无需另外填表"),
    )
    grid_community = models.BooleanField(
        ReviewPair.GRID_COMMUNITY.label, default=True, help_text=_("各网格点评社区")
    )
    community_department = models.BooleanField(
        ReviewPair.COMMUNITY_DEPARTMENT.label, default=True, help_text=_("社区点评街道职能部门")
    )
    is_public = models.BooleanField(
        _("公开结果"),
        default=False,
        help_text=_("公开后，各方面得分和整改措施在网站上公示（不含点评人）"),
    )
    summary = models.TextField(
        _("结果说明"), blank=True, max_length=2000, help_text=_("公示时显示在结果上方，几句话")
    )

    panels = [
        FieldPanel("community"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        MultiFieldPanel(
            [FieldPanel(pair.value) for pair in ReviewPair], heading=_("参加点评的层级")
        ),
        FieldPanel("is_public"),
        FieldPanel("summary"),
        InlinePanel("actions", heading=_("整改措施"), label=_("整改措施")),
    ]

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("双向点评")
        verbose_name_plural = _("双向点评")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="fieldwork_campaign_period_order",
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("结束日期不能早于开始日期。")})

    @property
    def pairs(self):
        """The pairs this campaign covers, in the enum's order."""
        return [pair for pair in ReviewPair if getattr(self, pair.value)]

    def get_absolute_url(self):
        return reverse("fieldwork_review_results", args=[self.pk])


class Review(ClusterableModel):
    """One review in a campaign: one side reviewing the other on the seven aspects."""

    campaign = models.ForeignKey(
        ReviewCampaign,
        verbose_name=_("点评活动"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    pair = models.CharField(
        _("点评层级"),
        max_length=24,
        choices=[(pair.value, pair.label) for pair in ENTERED_PAIRS],
        help_text=_("谁点评谁；居民评网格来自满意度测评"),
    )
    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("社区评网格、网格评社区时填写：被点评或参与点评的网格"),
    )
    department = models.CharField(
        _("部门"),
        max_length=60,
        blank=True,
        help_text=_("部门评社区、社区评部门时填写，例如：街道城管科"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    panels = [
        FieldPanel("campaign"),
        FieldPanel("pair"),
        FieldPanel("grid"),
        FieldPanel("department"),
        InlinePanel("scores", heading=_("各方面评分"), label=_("评分"), min_num=1, max_num=7),
    ]

    class Meta:
        ordering = ["campaign", "pair", "pk"]
        verbose_name = _("点评")
        verbose_name_plural = _("点评")

    def __str__(self):
        return f"{self.campaign} · {self.get_pair_display()} · {self.other_side}"

    @property
    def other_side(self):
        """The grid or department on the side of the pair that is not the community."""
        return self.grid.title if self.grid_id else self.department

    def clean(self):
        super().clean()
        pair = ReviewPair(self.pair) if self.pair in ReviewPair.values else None
        if pair is None:
            return
        errors = {}
        if self.campaign_id and not getattr(self.campaign, pair.value):
            errors["pair"] = _("这次点评活动不包括这个层级。")
        if pair.needs_grid and self.grid_id is None:
            errors["grid"] = _("请选择网格。")
        if pair.needs_grid and self.grid_id and self.campaign_id:
            community = self.campaign.community
            if not self.grid.path.startswith(community.path):
                errors["grid"] = _("这个网格不在本次点评的社区内。")
        if pair.needs_department and not self.department.strip():
            errors["department"] = _("请填写部门名称。")
        if not pair.needs_grid and self.grid_id:
            errors["grid"] = _("这个层级不选网格。")
        if not pair.needs_department and self.department.strip():
            errors["department"] = _("这个层级不填部门。")
        if errors:
            raise ValidationError(errors)


class ReviewScore(Orderable):
    """One aspect of a review: a score from 1 (差) to 5 (好) and a comment."""

    review = ParentalKey(Review, on_delete=models.CASCADE, related_name="scores")
    aspect = models.CharField(_("方面"), max_length=20, choices=ReviewAspect.choices)
    score = models.PositiveSmallIntegerField(
        _("评分"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1分最差，5分最好"),
    )
    comment = models.TextField(_("意见"), blank=True, max_length=1000)

    panels = [FieldPanel("aspect"), FieldPanel("score"), FieldPanel("comment")]

    class Meta(Orderable.Meta):
        verbose_name = _("评分")
        verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "aspect"], name="fieldwork_one_score_per_aspect"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5),
                name="fieldwork_score_one_to_five",
            ),
        ]

    def __str__(self):
        return f"{self.get_aspect_display()} {self.score}"


class ImprovementAction(Orderable):
    """An improvement decided from a campaign's results: what, for which aspect, who, by when."""

    campaign = ParentalKey(ReviewCampaign, on_delete=models.CASCADE, related_name="actions")
    aspect = models.CharField(_("方面"), max_length=20, choices=ReviewAspect.choices)
    pair = models.CharField(_("点评层级"), max_length=24, choices=ReviewPair.choices, blank=True)
    action = models.TextField(
        _("整改措施"), max_length=1000, help_text=_("公开显示；不要写居民姓名、电话")
    )
    owner = models.CharField(
        _("负责方"),
        max_length=60,
        help_text=_("负责整改的部门、社区或网格（公开显示，例如：社区服务中心）"),
    )
    deadline = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    panels = [
        FieldPanel("aspect"),
        FieldPanel("pair"),
        FieldPanel("action"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("deadline"), FieldPanel("done_on")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")

    def __str__(self):
        return self.action[:40]
