"""Fixed choices of the notices app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Urgency(models.TextChoices):
    NORMAL = "normal", _("一般")
    IMPORTANT = "important", _("重要")
    URGENT = "urgent", _("紧急")


class ApprovalStageKind(models.TextChoices):
    COLLECTED = "collected", _("网格员采集")
    ACCEPTED = "accepted", _("社区服务中心受理")
    REVIEWED = "reviewed", _("街道审核")
    APPROVED = "approved", _("区民政局审批")


class Decision(models.TextChoices):
    APPROVED = "approved", _("同意")
    REJECTED = "rejected", _("不同意")
    ADJUSTED = "adjusted", _("调整")


class AlertFrequency(models.TextChoices):
    """How often a subscriber hears of new notices (urgent notices always go out at once)."""

    IMMEDIATE = "immediate", _("有新内容立即发送")
    DAILY = "daily", _("每日汇总一次")


class AlertChannel(models.TextChoices):
    """Where alerts go. SMS is a channel to come: add it here and in notices.alerts.channels."""

    EMAIL = "email", _("电子邮件")
