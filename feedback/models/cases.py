"""A case (诉求): the resident's feedback, its photos, its timeline and its deliveries."""

import secrets
import uuid

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..enums import CaseState, DeliveryPurpose, RecipientKind, RoleLabel, Source
from ..storage import private_storage

# No look-alikes: without 0/O, 1/I/L, 2/Z, 5/S, 8/B.
TRACKING_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
TRACKING_CODE_LENGTH = 12


def new_tracking_code():
    """A random tracking code (12 characters, ~55 bits) from an alphabet without look-alikes."""
    return "".join(secrets.choice(TRACKING_ALPHABET) for _i in range(TRACKING_CODE_LENGTH))


def normalise_tracking_code(text):
    """Upper-case a typed code and drop spaces and dashes, so '7kq4-…' finds '7KQ4…'."""
    return "".join(ch for ch in (text or "").upper() if ch.isalnum())


class TicketCounter(models.Model):
    """The last ticket number issued in a year; its row is locked while a case is saved."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("工单号计数")
        verbose_name_plural = _("工单号计数")

    def __str__(self):
        return f"{self.year}: {self.last}"

    @classmethod
    def next_number(cls, year):
        """The next ticket number of `year`, e.g. '2026-000123'; call inside a transaction.

        The UPDATE takes the counter row's lock until the caller's transaction ends, so two
        concurrent submissions queue on it (PostgreSQL) or on the write lock (SQLite, whose
        transactions begin IMMEDIATE); a new year's row is created once, the loser retrying.
        """
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("next_number must run inside the transaction that saves the case")
        last = cls._increment(year)
        if last is None:
            try:
                with transaction.atomic():
                    cls.objects.create(year=year, last=1)
                last = 1
            except IntegrityError:
                last = cls._increment(year)
        return f"{year}-{last:06d}"

    @classmethod
    def _increment(cls, year):
        """Add one to `year`'s counter and read it back in one statement (None: no row yet).

        UPDATE … RETURNING works on PostgreSQL and on SQLite 3.35 and later."""
        connection = transaction.get_connection()
        quote = connection.ops.quote_name
        table, last, key = quote(cls._meta.db_table), quote("last"), quote("year")
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {last} = {last} + 1 WHERE {key} = %s RETURNING {last}",  # noqa: S608
                [year],
            )
            row = cursor.fetchone()
        return row[0] if row else None


class Feedback(models.Model):
    """A resident's feedback: a case handled by staff until it is closed and rated."""

    ticket_number = models.CharField(
        _("工单号"), max_length=20, unique=True, editable=False, help_text=_("年份加序号")
    )
    tracking_code = models.CharField(
        _("查询码"), max_length=20, unique=True, editable=False, help_text=_("居民查询用的随机码")
    )
    category = models.ForeignKey(
        "feedback.FeedbackCategory",
        verbose_name=_("类别"),
        on_delete=models.PROTECT,
        related_name="cases",
        help_text=_("居民选择的类别"),
    )
    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_cases",
        help_text=_("留空表示居民不清楚所在网格，由社区服务中心受理"),
    )
    community = models.ForeignKey(
        "grids.AreaPage",
        verbose_name=_("社区"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_cases",
        help_text=_("网格所属的社区；不清楚网格时为居民选择的社区"),
    )
    place = models.CharField(
        _("地点"), max_length=120, blank=True, help_text=_("事情发生的地点，例如楼号、路口")
    )
    subject = models.CharField(_("标题"), max_length=80, help_text=_("一句话说明是什么事"))
    message = models.TextField(_("内容"), max_length=2000, help_text=_("居民的留言，最多2000字"))
    contact_name = models.CharField(
        _("联系人（不公开）"), max_length=40, blank=True, help_text=_("仅处理人员可见")
    )
    contact_phone = models.CharField(
        _("联系电话（不公开）"), max_length=30, blank=True, help_text=_("仅处理人员可见")
    )
    contact_email = models.EmailField(
        _("电子邮箱（不公开）"), blank=True, help_text=_("仅处理人员可见；用于发送回执和答复")
    )
    public_consent = models.BooleanField(
        _("同意公开内容"),
        default=False,
        help_text=_(
            "居民在表单上勾选“可以公开展示本诉求的内容（不含个人信息）”；"
            "只有勾选了的诉求，开放接口才给出内容（已脱敏）"
        ),
    )
    sms_opt_out = models.BooleanField(
        _("不接收短信"),
        default=False,
        help_text=_("居民在查询页选择不再接收这件诉求的短信"),
    )
    source = models.CharField(
        _("来源"),
        max_length=20,
        choices=Source.choices,
        default=Source.WEB,
        help_text=_("网站提交，或工作人员代居民登记的电话、来访"),
    )
    state = models.CharField(
        _("状态"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.RECEIVED,
        db_index=True,
        help_text=_("受理、派遣、处置、核查、办结、评价"),
    )
    deadline = models.DateTimeField(
        _("办理时限"), null=True, blank=True, help_text=_("按类别时限和工作日历计算")
    )
    publicity = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("相关公示"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        # Only a publicity batch (notices.ApprovalOutcomePage) can be objected to; the form also
        # requires it to be live and in its period (feedback.intake.forms.open_publicity).
        limit_choices_to={
            "content_type__app_label": "notices",
            "content_type__model": "approvaloutcomepage",
        },
        help_text=_("对公示提出异议时，记录是哪一份公示"),
    )
    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_cases",
        help_text=_("已登录居民提交时记录其账号"),
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # --- Case handling (feedback.handling.transitions) ---
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首问负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_feedback_cases",
        help_text=_("第一个接手的工作人员，转派后仍负责到办结"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当前承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_feedback_cases",
        help_text=_("正在办理的工作人员"),
    )
    dispatched_at = models.DateTimeField(_("派遣时间"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("开始处置的工作人员；不能核查这件诉求"),
    )
    verified_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核查人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("核查通过的工作人员，不是承办人或处置人"),
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True, db_index=True)
    return_reason = models.TextField(_("退回理由"), blank=True, help_text=_("居民可见"))
    public_reply = models.TextField(_("答复"), blank=True, help_text=_("居民可见的答复"))
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        permissions = [("view_contact_details", _("可查看居民联系方式和照片"))]

    def __str__(self):
        return f"{self.ticket_number} {self.subject}"

    def save(self, *args, **kwargs):
        if not self.tracking_code:
            self.tracking_code = new_tracking_code()
        if not self.ticket_number:
            # Numbers are per year of receipt, in local time.
            self.ticket_number = TicketCounter.next_number(timezone.localtime(self.created_at).year)
        if self.deadline is None and self.category_id:
            self.deadline = self.category.deadline_from(self.created_at)
        super().save(*args, **kwargs)

    @property
    def has_contact(self):
        return bool(self.contact_name or self.contact_phone or self.contact_email)


def photo_upload_to(instance, filename):
    """A random name in a folder per month; the resident's file name is not kept."""
    now = timezone.now()
    return f"feedback/{now:%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class FeedbackPhoto(models.Model):
    """A photo a resident attached: re-encoded without metadata, stored where no URL reaches."""

    case = models.ForeignKey(
        Feedback, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(
        _("文件"), storage=private_storage, upload_to=photo_upload_to, max_length=200
    )
    content_type = models.CharField(_("类型"), max_length=40, default="image/jpeg")
    width = models.PositiveIntegerField(_("宽"), default=0)
    height = models.PositiveIntegerField(_("高"), default=0)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("照片")
        verbose_name_plural = _("照片")

    def __str__(self):
        return f"{self.case.ticket_number} #{self.pk}"


class FeedbackEvent(models.Model):
    """One step on a case's timeline: who (by role), when, which state, and a note."""

    case = models.ForeignKey(
        Feedback, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="events"
    )
    state = models.CharField(
        _("状态"), max_length=20, choices=CaseState.choices, blank=True, help_text=_("进入的状态")
    )
    action = models.CharField(
        _("操作"), max_length=40, blank=True, help_text=_("例如：受理、转派、回复、发送失败")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    role_label = models.CharField(
        _("角色"), max_length=20, choices=RoleLabel.choices, default=RoleLabel.SYSTEM
    )
    note = models.TextField(_("说明"), blank=True)
    public = models.BooleanField(_("居民可见"), default=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self):
        return f"{self.case.ticket_number} {self.get_state_display() or self.action}"


class Delivery(models.Model):
    """One e-mail about a case to one recipient, sent through the outbox (post_office)."""

    case = models.ForeignKey(
        Feedback, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="deliveries"
    )
    recipient_email = models.EmailField(_("收件邮箱"))
    role = models.CharField(_("收件人"), max_length=20, choices=RecipientKind.choices)
    purpose = models.CharField(
        _("用途"),
        max_length=20,
        choices=DeliveryPurpose.choices,
        default=DeliveryPurpose.NEW_CASE,
        help_text=_("新诉求通知、受理回执等"),
    )
    recipient_label = models.CharField(
        _("收件人说明"), max_length=120, blank=True, help_text=_("例如网格员姓名或服务中心名称")
    )
    email = models.ForeignKey(
        "post_office.Email",
        verbose_name=_("邮件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_deliveries",
    )
    message_id = models.CharField(_("Message-ID"), max_length=200, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "recipient_email", "purpose"], name="feedback_delivery_once"
            )
        ]

    def __str__(self):
        return f"{self.case.ticket_number} → {self.recipient_email}"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
    CANCELLED = "cancelled", _("已退订")


class SmsDelivery(models.Model):
    """One text message about a case to the resident's mobile: the SMS outbox and its log.

    A message is a provider template and its parameters (portal.sms), never free text. One row
    per case, purpose and mobile, enforced by the database, so an event never texts twice.
    """

    case = models.ForeignKey(
        Feedback, verbose_name=_("诉求"), on_delete=models.CASCADE, related_name="sms_deliveries"
    )
    phone = models.CharField(_("手机号"), max_length=20)
    purpose = models.CharField(_("用途"), max_length=20, choices=DeliveryPurpose.choices)
    template = models.CharField(_("短信模板"), max_length=40)
    params = models.JSONField(_("模板参数"), default=dict)
    status = models.CharField(
        _("状态"), max_length=20, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次尝试"), default=timezone.now, db_index=True)
    last_error = models.CharField(_("最近错误"), max_length=200, blank=True)
    provider_id = models.CharField(_("服务商回执号"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("短信投递")
        verbose_name_plural = _("短信投递")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "purpose", "phone"], name="feedback_sms_delivery_once"
            )
        ]

    def __str__(self):
        return f"{self.case.ticket_number} → SMS {self.get_purpose_display()}"

    @property
    def masked_phone(self):
        """The mobile as the delivery log shows it (138****1234): the full number is revealed,
        and logged, only through the case's contact details."""
        return f"{self.phone[:3]}****{self.phone[-4:]}" if len(self.phone) >= 7 else "****"


class MobileCode(models.Model):
    """A one-time code texted to a mobile so its holder can list their cases (找回诉求).

    Only keyed hashes are kept: of the mobile, and of the code with the mobile. A code expires,
    allows a few wrong tries and works once (feedback.public.mobile_lookup).
    """

    phone_hash = models.CharField(_("手机号摘要"), max_length=64, db_index=True)
    code_hash = models.CharField(_("验证码摘要"), max_length=64)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("手机验证码")
        verbose_name_plural = _("手机验证码")

    def __str__(self):
        return f"MobileCode {self.pk}"
