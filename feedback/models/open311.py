"""Keys of the Open311 interface: a city platform or an app that files cases for residents.

An administrator issues a key to an owner (e.g. the city's 12345 hotline platform). The key is
shown once, when it is issued; only its SHA-256 digest is kept, so a copy of the database gives
no one a working key. A key can be switched off (revoked) at any time, and each has its own
hourly limit of new cases (feedback.open311).
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

KEY_PREFIX_LENGTH = 8


def hash_key(raw):
    """The SHA-256 hex digest a key is kept and looked up by."""
    return hashlib.sha256((raw or "").encode("utf-8", "surrogatepass")).hexdigest()


def new_key():
    """A random key (43 URL-safe characters, 256 bits)."""
    return secrets.token_urlsafe(32)


class Open311Key(models.Model):
    """One platform's key for filing cases through Open311 (POST requests)."""

    owner = models.CharField(
        _("使用单位"),
        max_length=80,
        help_text=_("密钥发给谁，例如：市12345热线平台"),
    )
    contact = models.CharField(
        _("对接联系人（不公开）"),
        max_length=120,
        blank=True,
        help_text=_("对方技术联系人的姓名和电话或邮箱，仅管理员可见"),
    )
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(
        _("密钥前缀"), max_length=KEY_PREFIX_LENGTH, editable=False, help_text=_("用于核对")
    )
    rate_limit = models.PositiveIntegerField(
        _("每小时上限"),
        default=120,
        help_text=_("这个密钥每小时最多提交的诉求数，超过后拒绝（HTTP 429）"),
    )
    active = models.BooleanField(
        _("启用"), default=True, help_text=_("取消勾选即吊销这个密钥，之后用它提交会被拒绝")
    )
    created_at = models.DateTimeField(_("签发时间"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True, editable=False)

    panels = [
        FieldPanel("owner"),
        FieldPanel("contact"),
        FieldPanel("rate_limit"),
        FieldPanel("active"),
    ]

    class Meta:
        ordering = ["owner", "pk"]
        verbose_name = _("Open311密钥")
        verbose_name_plural = _("Open311密钥")

    def __str__(self):
        return f"{self.owner} ({self.key_prefix}…)"

    def issue(self):
        """Give this (unsaved) key a new random key; return the key, which is shown once."""
        raw = new_key()
        self.key_hash = hash_key(raw)
        self.key_prefix = raw[:KEY_PREFIX_LENGTH]
        return raw

    @classmethod
    def authenticate(cls, raw):
        """The active key `raw` names, or None."""
        if not raw:
            return None
        return cls.objects.filter(key_hash=hash_key(raw), active=True).first()
