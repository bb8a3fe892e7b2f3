"""Alerts by area (按区域订阅): residents subscribe, with no account, to new notices, urgent
notices and publicity for a grid, a zone or the whole community, by e-mail.

A `AlertSubscriber` is one address on one channel; each of its `AlertSubscription`s names a
scope (a grid or area page, or none for everything), what it wants and how often. A
subscription is sent nothing until its own confirmation link is followed (double opt-in), and
`AlertDelivery` records what each subscription was sent, so nothing goes twice.
(notices/alerts/ does the work; docs/alerts.md tells residents how.)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..enums import AlertChannel, AlertFrequency


class AlertSubscriber(models.Model):
    channel = models.CharField(
        _("渠道"), max_length=12, choices=AlertChannel.choices, default=AlertChannel.EMAIL
    )
    address = models.CharField(_("地址"), max_length=254, help_text=_("电子邮箱（小写）"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("订阅人")
        verbose_name_plural = _("订阅人")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="alert_subscriber_unique")
        ]

    def __str__(self):
        return f"{self.get_channel_display()} {self.address}"


class AlertSubscription(models.Model):
    subscriber = models.ForeignKey(
        AlertSubscriber, on_delete=models.CASCADE, related_name="subscriptions"
    )
    scope = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("范围"),
        help_text=_("一个网格或片区、社区；留空表示全部"),
    )
    notices = models.BooleanField(_("新通知"), default=True)
    urgent = models.BooleanField(_("紧急通知"), default=True)
    publicity = models.BooleanField(_("公示"), default=False)
    category = models.ForeignKey(
        "notices.NoticeCategory",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("通知类别"),
        help_text=_("只订阅这一类通知；留空表示全部类别"),
    )
    frequency = models.CharField(
        _("频率"), max_length=12, choices=AlertFrequency.choices, default=AlertFrequency.IMMEDIATE
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    last_digest_on = models.DateField(_("上次汇总日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("订阅")
        verbose_name_plural = _("订阅")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(notices=True) | models.Q(urgent=True) | models.Q(publicity=True),
                name="alert_subscription_wants_something",
            )
        ]

    def __str__(self):
        return f"{self.subscriber} · {self.scope_title}"

    @property
    def confirmed(self):
        return self.confirmed_at is not None

    @property
    def scope_title(self):
        return self.scope.title if self.scope_id else str(_("全部网格"))


class AlertDelivery(models.Model):
    """One page sent to one subscription (at once or in a digest): never sent again."""

    subscription = models.ForeignKey(
        AlertSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "page"], name="alert_delivery_once")
        ]

    def __str__(self):
        return f"{self.subscription_id} · {self.page_id}"
