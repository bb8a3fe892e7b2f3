"""Public statistics from the case records: per grid and month, and the survey per quarter.

Per grid and month: cases received (by date of receipt), closed, closed on time, median
handling time (receipt to closing, in hours), the rating distribution and the satisfaction
rate (非常满意 + 满意 over all ratings; ratings overturned on appeal are left out). Per grid
and quarter: the survey's distribution and satisfaction rate, verified and unverified apart.
No resident data is read beyond dates and levels.
"""

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import DateTimeField, F, IntegerField, Q, Value
from django.utils import timezone

from .enums import AppealDecision, RatingLevel
from .models import Feedback, GridSurveyRating, Rating

LEVELS = [5, 4, 3, 2, 1]


def month_key(moment):
    local = timezone.localtime(moment)
    return f"{local.year}-{local.month:02d}"


def last_months(count, today=None):
    """The last `count` months as 'YYYY-MM', oldest first, ending with this month."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    keys = []
    for _i in range(count):
        keys.append(f"{year}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(keys))


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


@dataclass
class MonthFigures:
    month: str
    received: int = 0
    closed: int = 0
    on_time: int = 0
    hours: list = field(default_factory=list)
    levels: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @property
    def on_time_rate(self):
        return _rate(self.on_time, self.closed)

    @property
    def median_hours(self):
        return round(statistics.median(self.hours), 1) if self.hours else None

    @property
    def ratings(self):
        return sum(self.levels.values())

    @property
    def satisfaction_rate(self):
        return _rate(self.levels[5] + self.levels[4], self.ratings)

    @property
    def level_list(self):
        return [(level, RatingLevel(level).label, self.levels[level]) for level in LEVELS]


def _collect(cases, months, today, by=None):
    """{the case's `by` field ("grid_id", "community_id"; None for all): {month: MonthFigures}}
    in one pass over the records."""
    cases = Feedback.objects.all() if cases is None else cases
    keys = last_months(months, today)
    start = _month_start(keys[0])
    buckets = defaultdict(lambda: {key: MonthFigures(key) for key in keys})

    field = by or "grid_id"

    def row(grid_id, moment):
        return buckets[grid_id if by else None].get(month_key(moment))

    # Received and closed in the months counted, and the ratings given in them (those overturned
    # on appeal left out): one query, the cases' rows and the ratings' rows in a UNION ALL, each
    # part using its own indexes. A rating's row carries its level; a case's row has none.
    recent = (
        cases.filter(Q(created_at__gte=start) | Q(closed_at__gte=start))
        .annotate(rating_level=Value(None, output_field=IntegerField()))
        .values_list(field, "created_at", "closed_at", "deadline", "rating_level")
        .order_by()
    )
    counted = (
        Rating.objects.filter(case__in=cases.values("pk"), created_at__gte=start)
        .exclude(appeals__decision=AppealDecision.OVERTURNED)
        .annotate(
            grid=F(f"case__{field}"),
            closed=Value(None, output_field=DateTimeField()),
            due=Value(None, output_field=DateTimeField()),
        )
        .values_list("grid", "created_at", "closed", "due", "level")
        .order_by()
    )
    for grid_id, created, closed_at, deadline, level in recent.union(counted, all=True):
        if level is not None:
            if (target := row(grid_id, created)) is not None:
                target.levels[level] += 1
            continue
        if created >= start and (target := row(grid_id, created)) is not None:
            target.received += 1
        if closed_at is None or closed_at < start:
            continue
        if (target := row(grid_id, closed_at)) is None:
            continue
        target.closed += 1
        if deadline is None or closed_at <= deadline:
            target.on_time += 1
        target.hours.append((closed_at - created).total_seconds() / 3600)
    return keys, buckets


def monthly_figures(cases=None, months=12, today=None):
    """[MonthFigures] for the last `months` months over the cases in `cases` (a queryset)."""
    keys, buckets = _collect(cases, months, today)
    rows = buckets[None]
    return [rows[key] for key in keys]


def per_grid_figures(cases=None, grids=(), months=12, today=None):
    """{grid: [MonthFigures]} for each grid in `grids`, from one pass over the records."""
    keys, buckets = _collect(cases, months, today, by="grid_id")
    return {grid: [buckets[grid.pk][key] for key in keys] for grid in grids}


def per_community_figures(cases=None, communities=(), months=12, today=None):
    """{community: [MonthFigures]} for each community (by the case's community), one pass."""
    keys, buckets = _collect(cases, months, today, by="community_id")
    return {area: [buckets[area.pk][key] for key in keys] for area in communities}


def _month_start(key):
    year, month = (int(part) for part in key.split("-"))
    return timezone.make_aware(dt.datetime(year, month, 1), timezone.get_current_timezone())


@dataclass
class SurveyFigures:
    quarter: str
    verified: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    unverified: dict = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))

    @staticmethod
    def _satisfaction(levels):
        return _rate(levels[5] + levels[4], sum(levels.values()))

    @property
    def verified_count(self):
        return sum(self.verified.values())

    @property
    def unverified_count(self):
        return sum(self.unverified.values())

    @property
    def verified_rate(self):
        return self._satisfaction(self.verified)

    @property
    def unverified_rate(self):
        return self._satisfaction(self.unverified)

    @property
    def level_list(self):
        return [
            (level, RatingLevel(level).label, self.verified[level], self.unverified[level])
            for level in LEVELS
        ]


def survey_figures(grid=None, quarters=4, today=None, area=None):
    """[SurveyFigures] for the last `quarters` quarters, oldest first: of one grid, of the grids
    below `area`, or of all."""
    today = today or timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    keys = []
    for _i in range(quarters):
        keys.append(f"{year}Q{quarter}")
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
    keys.reverse()
    rows = {key: SurveyFigures(key) for key in keys}
    ratings = GridSurveyRating.objects.filter(quarter__in=keys)
    if grid is not None:
        ratings = ratings.filter(grid=grid)
    elif area is not None:
        ratings = ratings.filter(grid__path__startswith=area.path)
    for quarter_key, level, verified in ratings.values_list("quarter", "level", "verified"):
        bucket = rows[quarter_key].verified if verified else rows[quarter_key].unverified
        bucket[level] += 1
    return [rows[key] for key in keys]


def totals(rows):
    """One MonthFigures adding up `rows` (for a summary line)."""
    total = MonthFigures("total")
    for row in rows:
        total.received += row.received
        total.closed += row.closed
        total.on_time += row.on_time
        total.hours += row.hours
        for level in LEVELS:
            total.levels[level] += row.levels[level]
    return total
