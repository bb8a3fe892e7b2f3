"""The field log as a daily record: logging a patrol, its findings, turning a finding into a
case or a handover slip, the week's summary per grid and the grids with no entry for a day.

工作日清周结: each working day's patrol is logged the same day and summed up each week.
"""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from feedback.enums import Source
from feedback.handling.transitions import file_on_behalf
from portal.calendar import is_working_day

from .models import FindingOutcome, HandoverSlip, Patrol, PatrolFinding, PatrolPhoto, Visit


class FindingError(Exception):
    """A finding cannot be turned into a case or a slip (it already is one)."""


def log_patrol(*, worker, grid, route, date=None, note="", minutes=60, photos=(), findings=()):
    """Save a patrol with its photos (CleanPhoto list) and findings: (place, description) pairs,
    or (place, description, outcome) for one already solved on the spot.

    The photo files are written first and deleted again when the save fails."""
    patrol = Patrol(
        worker=worker,
        grid=grid,
        date=date or timezone.localdate(),
        route=route,
        note=note,
        minutes=minutes,
    )
    records = []
    try:
        for photo in photos:
            record = PatrolPhoto(
                content_type=photo.content_type,
                width=photo.width,
                height=photo.height,
                size=len(photo.content),
            )
            record.file.save(
                f"{uuid.uuid4().hex}.{photo.extension}", ContentFile(photo.content), save=False
            )
            records.append(record)
        with transaction.atomic():
            patrol.save()
            saved = [
                PatrolFinding.objects.create(
                    patrol=patrol,
                    place=finding[0],
                    description=finding[1],
                    outcome=finding[2] if len(finding) > 2 else FindingOutcome.NOTED,
                )
                for finding in findings
                if finding[1]
            ]
            for record in records:
                record.patrol = patrol
                # A patrol's first finding is what its photos show, when it has one.
                record.finding = saved[0] if saved else None
            PatrolPhoto.objects.bulk_create(records)
    except Exception:
        for record in records:
            record.file.storage.delete(record.file.name)
        raise
    return patrol


def _claim(finding, outcome):
    """Lock the finding and mark its outcome; refuse one already turned into a case or slip."""
    locked = (
        PatrolFinding.objects.select_for_update().select_related("patrol__grid").get(pk=finding.pk)
    )
    if locked.outcome in (FindingOutcome.CASE, FindingOutcome.SLIP):
        raise FindingError(
            _("这条发现已经%(outcome)s，不能重复处理。") % {"outcome": locked.get_outcome_display()}
        )
    locked.outcome = outcome
    return locked


def finding_to_case(finding, actor, *, category, subject, message):
    """Turn a finding into a case filed by the worker, who becomes its first owner (首问负责);
    the case goes out to its recipients as any case filed on a resident's behalf does."""
    with transaction.atomic():
        locked = _claim(finding, FindingOutcome.CASE)
        case = file_on_behalf(
            actor,
            Source.PATROL,
            category=category,
            grid=locked.patrol.grid,
            place=locked.place,
            subject=subject,
            message=message,
        )
        locked.case = case
        locked.save(update_fields=["outcome", "case"])
    return case


def finding_to_slip(finding, actor, *, line, subject, details):
    """Pass a finding on to another line with a handover slip (fieldwork.handover)."""
    from .handover import send_slip

    with transaction.atomic():
        locked = _claim(finding, FindingOutcome.SLIP)
        locked.save(update_fields=["outcome"])
        slip = send_slip(
            actor,
            line=line,
            grid=locked.patrol.grid,
            subject=subject,
            details=details,
            place=locked.place,
            finding=locked,
        )
    return slip


def week_start_of(day):
    """The Monday of `day`'s week."""
    return day - dt.timedelta(days=day.weekday())


def working_days_of_week(week_start, until=None):
    """The working days (by the working calendar) of the week starting `week_start`, up to and
    including `until` when given."""
    days = [week_start + dt.timedelta(days=n) for n in range(7)]
    return [d for d in days if is_working_day(d) and (until is None or d <= until)]


@dataclass
class WeeklySummary:
    """One grid's week (周结), generated from its patrols, findings, visits and slips."""

    grid: object
    week_start: dt.date
    working_days: list
    patrol_days: list
    missing_days: list
    patrols: int = 0
    minutes: int = 0
    findings: list = field(default_factory=list)
    outcomes: dict = field(default_factory=dict)
    visits: int = 0
    slips: int = 0

    @property
    def week_end(self):
        return self.week_start + dt.timedelta(days=6)

    @property
    def hours(self):
        return round(self.minutes / 60, 1)

    def as_text(self):
        """The summary as a short paragraph staff can paste into the weekly report."""
        parts = [
            _(
                "%(grid)s %(start)s至%(end)s：巡查%(patrols)s次，共%(hours)s小时，"
                "工作日%(days)s天中有%(patrolled)s天有巡查记录。"
            )
            % {
                "grid": self.grid.title,
                "start": f"{self.week_start:%m-%d}",
                "end": f"{self.week_end:%m-%d}",
                "patrols": self.patrols,
                "hours": self.hours,
                "days": len(self.working_days),
                "patrolled": len([d for d in self.working_days if d in self.patrol_days]),
            }
        ]
        if self.findings:
            counts = "、".join(
                f"{label}{count}条" for label, count in self.outcomes.items() if count
            )
            parts.append(
                _("发现问题%(count)s条（%(counts)s）。")
                % {"count": len(self.findings), "counts": counts}
            )
        else:
            parts.append(_("未发现问题。"))
        parts.append(
            _("入户走访%(visits)s次，发出工作单%(slips)s份。")
            % {"visits": self.visits, "slips": self.slips}
        )
        if self.missing_days:
            parts.append(
                _("缺少记录：%(days)s。")
                % {"days": "、".join(f"{d:%m-%d}" for d in self.missing_days)}
            )
        return "".join(parts)


def weekly_summary(grid, week_start, today=None):
    """The week's summary for `grid`, from the entries themselves (nothing is stored)."""
    today = today or timezone.localdate()
    week_end = week_start + dt.timedelta(days=6)
    patrols = list(
        Patrol.objects.filter(grid=grid, date__range=(week_start, week_end)).order_by("date")
    )
    findings = list(
        PatrolFinding.objects.filter(patrol__in=patrols)
        .select_related("patrol", "case")
        .order_by("patrol__date", "pk")
    )
    working = working_days_of_week(week_start)
    patrol_days = sorted({p.date for p in patrols})
    outcomes = {label: 0 for _value, label in FindingOutcome.choices}
    labels = dict(FindingOutcome.choices)
    for finding in findings:
        outcomes[labels[finding.outcome]] += 1
    start = timezone.make_aware(dt.datetime.combine(week_start, dt.time.min))
    return WeeklySummary(
        grid=grid,
        week_start=week_start,
        working_days=working,
        patrol_days=patrol_days,
        missing_days=[d for d in working if d <= today and d not in patrol_days],
        patrols=len(patrols),
        minutes=sum(p.minutes for p in patrols),
        findings=findings,
        outcomes=outcomes,
        visits=Visit.objects.filter(grid=grid, date__range=(week_start, week_end)).count(),
        slips=HandoverSlip.objects.filter(
            grid=grid, created_at__gte=start, created_at__lt=start + dt.timedelta(days=7)
        ).count(),
    )


def missing_entries(grids, week_start, today=None):
    """For each working day of the week up to today: the grids (of `grids`) with no patrol.

    A list of (day, [grid, …]); days on which every grid has an entry are listed with []."""
    today = today or timezone.localdate()
    grids = list(grids.order_by("code"))
    days = working_days_of_week(week_start, until=today)
    logged = set(
        Patrol.objects.filter(grid__in=grids, date__in=days).values_list("grid_id", "date")
    )
    return [(day, [g for g in grids if (g.pk, day) not in logged]) for day in days]
