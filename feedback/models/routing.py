"""What a resident can send (categories) and where it goes (service centres, routing rules)."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from portal.calendar import add_working_days, add_working_hours

from ..enums import DeadlineUnit, RecipientKind, WorkType


class FeedbackCategory(models.Model):
    """A category residents choose on the form, with its work type and deadline."""

    name = models.CharField(
        _("名称"), max_length=40, unique=True, help_text=_("居民看到的类别名称，例如：环境卫生")
    )
    work_type = models.CharField(
        _("事务类型"),
        max_length=20,
        choices=WorkType.choices,
        default=WorkType.ROUTINE,
        help_text=_("决定处理流程和转送规则；公示异议请选“审批性事务（公示异议）”"),
    )
    deadline_amount = models.PositiveSmallIntegerField(
        _("办理时限"), default=5, help_text=_("从受理起计算的时限数值，按工作日历计算")
    )
    deadline_unit = models.CharField(
        _("时限单位"),
        max_length=20,
        choices=DeadlineUnit.choices,
        default=DeadlineUnit.WORKING_DAYS,
        help_text=_("突发性事件一般按工作小时计算，其余按工作日"),
    )
    notice = models.TextField(
        _("提示"),
        blank=True,
        help_text=_("居民选中此类别时显示的一两句提示，例如需要提供哪些信息"),
    )
    emergency = models.BooleanField(
        _("紧急类别"),
        default=False,
        help_text=_("选中时醒目显示报警、火警、急救等紧急电话（仍会受理留言）"),
    )
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的排在表单列表前面")
    )
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("停用后表单不再显示，已有的诉求不受影响")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("work_type"),
        FieldRowPanel([FieldPanel("deadline_amount"), FieldPanel("deadline_unit")]),
        FieldPanel("notice"),
        FieldPanel("emergency"),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")

    def __str__(self):
        return self.name

    def deadline_from(self, moment=None):
        """The deadline of a case of this category received (or dispatched) at `moment`."""
        moment = moment or timezone.now()
        if self.deadline_unit == DeadlineUnit.WORKING_HOURS:
            return add_working_hours(moment, self.deadline_amount)
        day = add_working_days(moment, max(self.deadline_amount, 1))
        # The last working day counts until the end of office hours.
        end = dt.datetime.combine(day, dt.time(17, 0))
        return timezone.make_aware(end, timezone.get_current_timezone())

    @property
    def deadline_text(self):
        """ "5个工作日" / "4个工作小时"."""
        return _("%(amount)s个%(unit)s") % {
            "amount": self.deadline_amount,
            "unit": self.get_deadline_unit_display(),
        }


def _split_emails(text):
    return [part.strip() for part in (text or "").replace(";", ",").replace("\n", ",").split(",")]


def validate_email_list(text):
    """Every entry of a comma- or line-separated list is an e-mail address."""
    for part in _split_emails(text):
        if part:
            try:
                validate_email(part)
            except ValidationError as error:
                raise ValidationError(
                    _("“%(value)s”不是有效的电子邮箱。"), params={"value": part}
                ) from error


class ServiceCentre(models.Model):
    """A community's service centre (社区服务中心): its shared inbox and its head."""

    community = models.OneToOneField(
        "grids.AreaPage",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="service_centre",
        help_text=_("这个服务中心服务的社区（或村）"),
    )
    name = models.CharField(_("名称"), max_length=80, help_text=_("例如：明华社区服务中心"))
    inbox_email = models.EmailField(
        _("受理邮箱（不公开）"), help_text=_("接收本社区居民诉求的共用邮箱")
    )
    head_email = models.EmailField(
        _("负责人邮箱（不公开）"), blank=True, help_text=_("超期督办邮件发送给负责人")
    )
    head_phone = models.CharField(
        _("负责人电话（不公开）"), max_length=40, blank=True, help_text=_("仅工作人员可见")
    )
    is_default = models.BooleanField(
        _("默认服务中心"),
        default=False,
        help_text=_("居民不知道所在社区和网格时，由默认服务中心受理；只设一个"),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("community"),
        MultiFieldPanel(
            [FieldPanel("inbox_email"), FieldPanel("head_email"), FieldPanel("head_phone")],
            heading=_("不公开的联系方式"),
        ),
        FieldPanel("is_default"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("社区服务中心")
        verbose_name_plural = _("社区服务中心")

    def __str__(self):
        return self.name

    @classmethod
    def for_community(cls, community):
        """The centre of `community`, or the default centre (or None when there is none)."""
        if community is not None:
            centre = cls.objects.filter(community=community).first()
            if centre is not None:
                return centre
        return cls.objects.filter(is_default=True).first() or cls.objects.order_by("pk").first()


class RoutingRule(models.Model):
    """Who gets a new case: kept as data so the service centre can change it in the admin."""

    name = models.CharField(_("名称"), max_length=80, help_text=_("例如：突发事件抄送值班领导"))
    work_type = models.CharField(
        _("事务类型"),
        max_length=20,
        choices=WorkType.choices,
        blank=True,
        help_text=_("只对这种事务类型生效；留空表示所有类型"),
    )
    categories = models.ManyToManyField(
        FeedbackCategory,
        verbose_name=_("类别"),
        blank=True,
        related_name="routing_rules",
        help_text=_("只对这些类别生效；不选表示所有类别"),
    )
    emergency_only = models.BooleanField(
        _("仅紧急类别"), default=False, help_text=_("只对标记为紧急的类别生效")
    )
    recipient = models.CharField(
        _("收件人"),
        max_length=20,
        choices=[c for c in RecipientKind.choices if c[0] != RecipientKind.RESIDENT],
        help_text=_("在岗网格员（A岗请假时为B岗）、社区服务中心、指定邮箱或公示所列部门"),
    )
    emails = models.TextField(
        _("指定邮箱（不公开）"),
        blank=True,
        validators=[validate_email_list],
        help_text=_("收件人为“指定邮箱”时填写，多个用逗号或换行分隔，例如值班领导名单"),
    )
    active = models.BooleanField(_("启用"), default=True, help_text=_("停用的规则不再转送"))
    sort_order = models.PositiveSmallIntegerField(
        _("排序"), default=0, help_text=_("数字小的先处理；同一邮箱只发送一次")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("work_type"),
        FieldPanel("categories", widget=forms.CheckboxSelectMultiple),
        FieldPanel("emergency_only"),
        FieldPanel("recipient"),
        FieldPanel("emails"),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("转送规则")
        verbose_name_plural = _("转送规则")

    def __str__(self):
        return self.name

    def clean(self):
        if self.recipient == RecipientKind.LISTED_ADDRESSES and not any(_split_emails(self.emails)):
            raise ValidationError({"emails": _("收件人为“指定邮箱”时，请至少填写一个邮箱。")})

    @property
    def email_list(self):
        """The listed addresses, cleaned."""
        return [part for part in _split_emails(self.emails) if part]

    def applies_to(self, category):
        """True when this rule routes cases of `category`."""
        if not self.active:
            return False
        if self.work_type and self.work_type != category.work_type:
            return False
        if self.emergency_only and not category.emergency:
            return False
        category_ids = [c.pk for c in self.categories.all()]
        return not category_ids or category.pk in category_ids
