"""The field log (民情日志) as a daily record: a patrol (巡查), its findings and its photos.

A grid worker logs each working day's patrol the same day (工作日清): the date, the grid, the
route or places, what was found and how long it took. A finding may become a case (feedback) or
a handover slip to another line (fieldwork.models.slips). The case's own notes stay in
feedback.FieldLogEntry.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..storage import private_storage


class FindingOutcome(models.TextChoices):
    NOTED = "noted", _("记录在案")
    SOLVED = "solved", _("当场解决")
    CASE = "case", _("转为诉求")
    SLIP = "slip", _("转交条线")


class Patrol(models.Model):
    """One day's patrol (巡查) of one grid by one grid worker."""

    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        on_delete=models.PROTECT,
        related_name="patrols",
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡查人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="patrols",
    )
    date = models.DateField(_("日期"), default=timezone.localdate, db_index=True)
    route = models.CharField(
        _("路线或地点"), max_length=200, help_text=_("例如：3号楼—菜市场—东门")
    )
    note = models.TextField(
        _("巡查情况"), max_length=2000, blank=True, help_text=_("没有发现问题时写“正常”即可")
    )
    minutes = models.PositiveSmallIntegerField(
        _("用时（分钟）"), default=60, validators=[MaxValueValidator(24 * 60)]
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("巡查")
        verbose_name_plural = _("巡查")
        indexes = [models.Index(fields=["grid", "date"], name="fieldwork_patrol_grid_date")]

    def __str__(self):
        return f"{self.grid} {self.date:%Y-%m-%d}"


class PatrolFinding(models.Model):
    """Something seen on a patrol (发现): noted, solved on the spot, a case or a handover slip."""

    patrol = models.ForeignKey(
        Patrol, verbose_name=_("巡查"), on_delete=models.CASCADE, related_name="findings"
    )
    place = models.CharField(_("地点"), max_length=120, blank=True)
    description = models.TextField(_("发现的情况"), max_length=2000)
    outcome = models.CharField(
        _("处理方式"), max_length=20, choices=FindingOutcome.choices, default=FindingOutcome.NOTED
    )
    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("转为诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patrol_findings",
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("巡查发现")
        verbose_name_plural = _("巡查发现")

    def __str__(self):
        return self.description[:40]


def photo_upload_to(instance, filename):
    """A random name in a folder per month; the file's own name is not kept."""
    now = timezone.now()
    return f"fieldwork/{now:%Y/%m}/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1].lower()}"


class PatrolPhoto(models.Model):
    """A photo taken on a patrol: re-encoded without metadata, stored where no URL reaches."""

    patrol = models.ForeignKey(
        Patrol, verbose_name=_("巡查"), on_delete=models.CASCADE, related_name="photos"
    )
    finding = models.ForeignKey(
        PatrolFinding,
        verbose_name=_("发现"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
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
        verbose_name = _("巡查照片")
        verbose_name_plural = _("巡查照片")

    def __str__(self):
        return f"{self.patrol} #{self.pk}"
