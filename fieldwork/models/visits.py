"""Household visits (入户走访), the follow-up visits (回访) among them.

A visit records what the visit needs, not a census: an address or household code, who went
(the grid's A and B posts together where the plan says so), why, what came of it and when to
go back. No names, ID numbers or family members are kept.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VisitPurpose(models.TextChoices):
    ROUTINE = "routine", _("日常走访")
    CASE_RESULT = "case_result", _("办结回访")
    POOR_RATING = "poor_rating", _("差评回访")
    CARE = "care", _("关爱探访")
    OTHER = "other", _("其他")


class Visit(models.Model):
    """One household visit (入户走访) by a grid worker, with a companion where the plan asks."""

    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    address = models.CharField(
        _("地址或户号"),
        max_length=120,
        help_text=_("门牌地址或户号，例如：3号楼2单元501；不登记姓名、身份证号和家庭成员"),
    )
    date = models.DateField(_("走访日期"), default=timezone.localdate, db_index=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("走访人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    companion = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("同行人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accompanied_visits",
        help_text=_("A岗、B岗共同走访时填写另一位网格员"),
    )
    purpose = models.CharField(
        _("走访目的"), max_length=20, choices=VisitPurpose.choices, default=VisitPurpose.ROUTINE
    )
    outcome = models.TextField(
        _("走访情况"),
        max_length=2000,
        blank=True,
        help_text=_("了解到的情况和答复；只写工作需要的内容"),
    )
    follow_up_on = models.DateField(
        _("再次走访日期"),
        null=True,
        blank=True,
        help_text=_("需要再去时填写；到期前一个工作日提醒"),
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("上次走访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_visits",
        help_text=_("这是哪一次走访的再次走访"),
    )
    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("相关诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
    )
    follow_up = models.ForeignKey(
        "feedback.FollowUp",
        verbose_name=_("差评回访"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="visits",
        help_text=_("差评后的回访也记一次走访"),
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("入户走访")
        verbose_name_plural = _("入户走访")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(companion=models.F("visitor")),
                name="fieldwork_visit_companion_not_visitor",
            )
        ]

    def __str__(self):
        return f"{self.address} {self.date:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.companion_id and self.companion_id == self.visitor_id:
            raise ValidationError({"companion": _("同行人不能与走访人是同一人。")})
        if self.follow_up_on and self.date and self.follow_up_on <= self.date:
            raise ValidationError({"follow_up_on": _("再次走访日期应在走访日期之后。")})
