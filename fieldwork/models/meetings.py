"""The weekly analysis meeting (民情分析会): one per community and week, with its decisions.

The agenda is generated from the records of the week (`fieldwork.agenda`); the meeting keeps
only what was decided: each decision has an owner and a deadline and is followed until done.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from portal import roles

from .reviews import COMMUNITY_CHOICES


def week_start(day=None):
    """The Monday of the week of `day` (default: today)."""
    day = day or timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


class WeeklyMeeting(ClusterableModel):
    """A community's weekly analysis meeting (民情分析会) for the week starting `week_start`."""

    community = models.ForeignKey(
        "grids.AreaPage",
        verbose_name=_("社区"),
        on_delete=models.CASCADE,
        related_name="weekly_meetings",
        limit_choices_to=COMMUNITY_CHOICES,
    )
    week_start = models.DateField(_("周一"), help_text=_("会议所在周的星期一"))
    held_on = models.DateField(_("开会日期"), null=True, blank=True)
    attendees = models.CharField(
        _("参会人员"), max_length=200, blank=True, help_text=_("例如：社区书记、各网格网格员")
    )
    notes = models.TextField(_("会议纪要"), blank=True, max_length=4000)

    panels = [
        FieldRowPanel([FieldPanel("week_start", read_only=True), FieldPanel("held_on")]),
        FieldPanel("attendees"),
        FieldPanel("notes"),
        InlinePanel("decisions", heading=_("会议决定"), label=_("决定")),
    ]

    class Meta:
        ordering = ["-week_start"]
        verbose_name = _("民情分析会")
        verbose_name_plural = _("民情分析会")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "week_start"], name="fieldwork_one_meeting_per_week"
            )
        ]

    def __str__(self):
        return f"{self.community.title} {self.week_start:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("请选择星期一。")})


class MeetingDecision(Orderable):
    """A decision of a weekly meeting: what is to be done, by whom (owner), by when (deadline)."""

    meeting = ParentalKey(WeeklyMeeting, on_delete=models.CASCADE, related_name="decisions")
    subject = models.CharField(_("事项"), max_length=200, help_text=_("要解决的问题，一句话"))
    case = models.ForeignKey(
        "feedback.Feedback",
        verbose_name=_("相关诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    grid = models.ForeignKey(
        "grids.GridPage",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"groups__name__in": roles.ALL_ROLES, "is_active": True},
        help_text=_("负责跟进的工作人员"),
    )
    deadline = models.DateField(_("完成期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    outcome = models.TextField(_("办理结果"), blank=True, max_length=1000)

    panels = [
        FieldPanel("subject"),
        FieldPanel("grid"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("deadline"), FieldPanel("done_on")]),
        FieldPanel("outcome"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")

    def __str__(self):
        return self.subject

    @property
    def is_overdue(self):
        return self.done_on is None and self.deadline < timezone.localdate()
