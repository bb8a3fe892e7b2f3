"""Case handling: ratings and appeals, follow-ups, extensions, field log, contact-view audit,
reply templates and the grid satisfaction survey."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from ..enums import AppealDecision, ExtensionState, RatingLevel, SurveyAspect

LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class CentreMembership(models.Model):
    """A staff account working for a service centre: it sees that community's cases."""

    centre = models.ForeignKey(
        "feedback.ServiceCentre",
        verbose_name=_("社区服务中心"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工作人员账号"),
        on_delete=models.CASCADE,
        related_name="centre_memberships",
        help_text=_("该账号可以查看和办理本社区（含下级片区、网格）的全部诉求"),
    )
    is_head = models.BooleanField(
        _("负责人"), default=False, help_text=_("负责人可以批准延期和复核申诉")
    )

    panels = [FieldPanel("centre"), FieldPanel("user"), FieldPanel("is_head")]

    class Meta:
        verbose_name = _("服务中心人员")
        verbose_name_plural = _("服务中心人员")
        constraints = [
            models.UniqueConstraint(fields=["centre", "user"], name="feedback_membership_once")
        ]

    def __str__(self):
        return f"{self.centre} · {self.user}"


class ReplyTemplate(models.Model):
    """A reply staff can start from, per category; edited before it is sent."""

    category = models.ForeignKey(
        "feedback.FeedbackCategory",
        verbose_name=_("类别"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        help_text=_("留空表示所有类别都可以使用"),
    )
    title = models.CharField(_("名称"), max_length=60, help_text=_("例如：已派人维修"))
    body = models.TextField(
        _("答复内容"), max_length=2000, help_text=_("发送前可以修改；不要写工作人员的姓名和电话")
    )

    panels = [FieldPanel("category"), FieldPanel("title"), FieldPanel("body")]

    class Meta:
        ordering = ["category__sort_order", "title"]
        verbose_name = _("答复模板")
        verbose_name_plural = _("答复模板")

    def __str__(self):
        return self.title


class FieldLogEntry(models.Model):
    """An internal note in the field log (民情日志); never shown to the resident."""

    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="field_log",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("内容"), max_length=4000)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("民情日志")
        verbose_name_plural = _("民情日志")

    def __str__(self):
        return f"{self.case.ticket_number} {self.at:%Y-%m-%d}"


class ContactViewLog(models.Model):
    """Who opened a resident's contact details (or photos), and when."""

    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="contact_views",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("查看人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    what = models.CharField(_("查看内容"), max_length=20, default="contact")
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("联系方式查看记录")
        verbose_name_plural = _("联系方式查看记录")

    def __str__(self):
        return f"{self.case.ticket_number} {self.user} {self.at:%Y-%m-%d %H:%M}"


class ExtensionRequest(models.Model):
    """A request to extend a case's deadline (延期): a reason, and a service centre's decision."""

    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="extension_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("延期理由"), max_length=1000)
    working_days = models.PositiveSmallIntegerField(
        _("延长工作日"), default=5, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=ExtensionState.choices, default=ExtensionState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("审批意见"), blank=True)
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self):
        return f"{self.case.ticket_number} +{self.working_days}"


class Rating(models.Model):
    """The resident's rating of how a closed case was handled (好差评): once, five levels."""

    case = models.OneToOneField(
        "feedback.Feedback",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="rating",
    )
    level = models.PositiveSmallIntegerField(
        _("评价"), choices=RatingLevel.choices, validators=LEVEL_VALIDATORS
    )
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("评价")
        verbose_name_plural = _("评价")

    def __str__(self):
        return f"{self.case.ticket_number} {self.get_level_display()}"

    @property
    def is_poor(self):
        return self.level <= 2

    @property
    def overturned(self):
        """True when an appeal against this rating was upheld by a reviewer."""
        return self.appeals.filter(decision=AppealDecision.OVERTURNED).exists()


class RatingAppeal(models.Model):
    """Staff's appeal (申诉) against a rating; the rating itself is never changed or deleted."""

    rating = models.ForeignKey(
        Rating, verbose_name=_("评价"), on_delete=models.CASCADE, related_name="appeals"
    )
    reason = models.TextField(_("申诉理由"), max_length=2000)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申诉人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    decision = models.CharField(
        _("复核结果"),
        max_length=20,
        choices=AppealDecision.choices,
        default=AppealDecision.PENDING,
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("复核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("复核意见"), blank=True)
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = _("评价申诉")
        verbose_name_plural = _("评价申诉")

    def __str__(self):
        return f"{self.rating} · {self.get_decision_display()}"


class FollowUp(models.Model):
    """The follow-up (回访) a poor rating opens: visit, rectification, reply to the resident."""

    case = models.OneToOneField(
        "feedback.Feedback",
        verbose_name=_("诉求"),
        on_delete=models.CASCADE,
        related_name="follow_up",
    )
    centre = models.ForeignKey(
        "feedback.ServiceCentre",
        verbose_name=_("负责的服务中心"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    due_at = models.DateTimeField(_("回访期限"))
    visit_note = models.TextField(_("回访情况"), blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    reply = models.TextField(_("答复居民"), blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("开始时间"), default=timezone.now)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        verbose_name = _("回访")
        verbose_name_plural = _("回访")

    def __str__(self):
        return f"{self.case.ticket_number} 回访"


class GridSurveyRating(models.Model):
    """A resident's rating of a grid's service as a whole (满意度测评), once per quarter."""

    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        on_delete=models.CASCADE,
        related_name="survey_ratings",
    )
    quarter = models.CharField(_("季度"), max_length=7, db_index=True, help_text=_("例如 2026Q4"))
    level = models.PositiveSmallIntegerField(
        _("评价"), choices=RatingLevel.choices, validators=LEVEL_VALIDATORS
    )
    aspects = models.CharField(
        _("评价方面"),
        max_length=60,
        blank=True,
        help_text=_("逗号分隔：%(choices)s") % {"choices": ", ".join(SurveyAspect.values)},
    )
    comment = models.TextField(_("意见"), max_length=1000, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified = models.BooleanField(_("已登录（已核实）"), default=False)
    device_key = models.CharField(_("设备标识（摘要）"), max_length=64, blank=True)
    ip_key = models.CharField(_("IP（摘要）"), max_length=64, blank=True)
    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("转为诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("网格满意度测评")
        verbose_name_plural = _("网格满意度测评")
        constraints = [
            models.UniqueConstraint(
                fields=["grid", "quarter", "user"],
                condition=models.Q(user__isnull=False),
                name="feedback_survey_once_per_account",
            )
        ]

    def __str__(self):
        return f"{self.grid} {self.quarter} {self.get_level_display()}"

    @property
    def aspect_labels(self):
        labels = dict(SurveyAspect.choices)
        return [labels[a] for a in self.aspects.split(",") if a in labels]
