"""Lines (条线) and handover slips (工作单): matters for another line (综治, 计生, 社保, 就业,
民政…) passed on with a slip, acknowledged by the line's contact and escalated when overdue."""

import hashlib
import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel


class SlipState(models.TextChoices):
    SENT = "sent", _("已发送")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    DONE = "done", _("已办结")


def hash_token(token):
    """The stored form of a slip's acknowledgement token (the token itself is only in the mail)."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token():
    return secrets.token_urlsafe(24)


class Line(models.Model):
    """A line (条线) a matter can be handed to, with its contact and its deadline."""

    name = models.CharField(_("名称"), max_length=40, unique=True, help_text=_("例如：社保、民政"))
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), help_text=_("工作单发送到这个邮箱"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    deadline_days = models.PositiveSmallIntegerField(
        _("办理时限（工作日）"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("从发出工作单起按工作日历计算；超期后提醒服务中心督办"),
    )
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("contact_name"), FieldPanel("phone")]),
        FieldPanel("email"),
        FieldPanel("deadline_days"),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("条线")
        verbose_name_plural = _("条线")

    def __str__(self):
        return self.name


class HandoverSlip(models.Model):
    """A handover slip (工作单): one matter passed on to one line: sent → acknowledged → done."""

    line = models.ForeignKey(
        Line, verbose_name=_("条线"), on_delete=models.PROTECT, related_name="slips"
    )
    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="handover_slips",
    )
    finding = models.ForeignKey(
        "fieldwork.PatrolFinding",
        verbose_name=_("巡查发现"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="slips",
    )
    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("相关诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handover_slips",
    )
    subject = models.CharField(_("事项"), max_length=80, help_text=_("一句话说明交办什么事"))
    details = models.TextField(
        _("情况说明"),
        max_length=2000,
        help_text=_("条线办理需要知道的情况；不写与事项无关的个人信息"),
    )
    place = models.CharField(_("地点"), max_length=120, blank=True)
    state = models.CharField(
        _("状态"), max_length=20, choices=SlipState.choices, default=SlipState.SENT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="handover_slips",
    )
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now, db_index=True)
    deadline = models.DateTimeField(_("办理时限"), null=True, blank=True)
    token_hash = models.CharField(_("签收码摘要"), max_length=64, unique=True, editable=False)
    email = models.ForeignKey(
        "post_office.Email",
        verbose_name=_("邮件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    acknowledged_by = models.CharField(_("签收人"), max_length=40, blank=True)
    done_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    result = models.TextField(_("办理结果"), max_length=2000, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("工作单")
        verbose_name_plural = _("工作单")

    def __str__(self):
        return f"{self.number} {self.subject}"

    @property
    def number(self):
        """The slip's number as staff and the line see it, e.g. GZD-2026-00042."""
        created = timezone.localtime(self.created_at) if self.created_at else timezone.localtime()
        return f"GZD-{created:%Y}-{self.pk or 0:05d}"

    def set_token(self):
        """A new acknowledgement token: its hash is stored, the token returned for the mail."""
        token = new_token()
        self.token_hash = hash_token(token)
        return token

    @property
    def is_overdue(self):
        return (
            self.state != SlipState.DONE
            and self.deadline is not None
            and self.deadline < timezone.now()
        )


class HandoverSlipEvent(models.Model):
    """One step in a slip's handover record (交接记录): sent, acknowledged, done, escalated."""

    slip = models.ForeignKey(
        HandoverSlip, verbose_name=_("工作单"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=40)
    state = models.CharField(_("状态"), max_length=20, choices=SlipState.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_label = models.CharField(
        _("操作人说明"), max_length=60, blank=True, help_text=_("条线签收时为签收人姓名")
    )
    note = models.TextField(_("说明"), blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("交接记录")
        verbose_name_plural = _("交接记录")

    def __str__(self):
        return f"{self.slip.number} {self.action}"
