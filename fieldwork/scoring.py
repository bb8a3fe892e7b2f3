"""Assessment figures (考核) per grid for a month or a year, from the records.

- on-time rate and case satisfaction: `feedback.stats` (the figures of the public statistics
  page, so both always agree);
- patrol coverage: working days with a patrol over working days (`fieldwork.records`);
- household visits: households visited, against the community's monthly target (capped at 100%);
- survey: the share of 非常满意 and 满意 among the grid survey ratings of the period's quarters.

The score is the weighted mean of the figures that exist for the period (a grid with no
closed case has no on-time rate; its weight is shared among the others).
"""

import calendar
import datetime as dt
import re

from django.utils import timezone

from feedback import stats
from grids.enums import COMMUNITY_LEVELS
from grids.models import AreaPage, GridPage
from portal.parsing import parse_text

from . import records
from .models import Assessment, AssessmentPeriod, AssessmentWeights
from .models.assessment import PARTS


def last_month(today=None):
    """The month before this one, as 'YYYY-MM'."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year}-{first.month:02d}"


PERIOD = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")


def parse_period(text):
    """(kind, period) for "2026-11" (a month) or "2026" (a year); None for anything else."""
    match = PERIOD.fullmatch(parse_text(text, max_length=7) or "")
    if match is None or not 2000 <= int(match[1]) <= 2100:
        return None
    if match[2] is None:
        return AssessmentPeriod.YEAR, match[1]
    if not 1 <= int(match[2]) <= 12:
        return None
    return AssessmentPeriod.MONTH, match[0]


def period_bounds(kind, period):
    """(first day, last day, number of months) of a month 'YYYY-MM' or a year 'YYYY'."""
    if kind == AssessmentPeriod.MONTH:
        year, month = (int(part) for part in period.split("-"))
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), 1
    year = int(period)
    return dt.date(year, 1, 1), dt.date(year, 12, 31), 12


def _rate(part, whole):
    return None if not whole else round(100 * part / whole, 1)


def weights_for(community):
    """The community's weights, or the defaults (unsaved) when it has set none."""
    return AssessmentWeights.objects.filter(community=community).first() or AssessmentWeights(
        community=community
    )


def _survey_rate(grid, last, quarters):
    rows = stats.survey_figures(grid, quarters=quarters, today=last)
    good = sum(r.verified[5] + r.verified[4] + r.unverified[5] + r.unverified[4] for r in rows)
    total = sum(r.verified_count + r.unverified_count for r in rows)
    return _rate(good, total)


def score(figures, weights):
    """The weighted mean of the figures that exist (None when none does)."""
    parts = [
        (getattr(weights, weight), figures[field])
        for weight, field, _label in PARTS
        if figures.get(field) is not None and getattr(weights, weight)
    ]
    total = sum(weight for weight, _value in parts)
    if not total:
        return None
    return round(sum(weight * value for weight, value in parts) / total, 1)


def grid_figures(grid, kind, period, weights, month_rows=None):
    """The figures of one grid for the period, as a dict of Assessment fields."""
    first, last, months = period_bounds(kind, period)
    if month_rows is None:
        month_rows = stats.per_grid_figures(grids=[grid], months=months, today=last)[grid]
    total = stats.totals(month_rows)
    # A month still running counts its working days so far.
    patrolled, working = records.patrol_days(grid, first, min(last, timezone.localdate()))
    visits = records.visits(grid, first, last)
    target = weights.visits_per_month * months
    figures = {
        "on_time_rate": total.on_time_rate,
        "satisfaction_rate": total.satisfaction_rate,
        "patrol_coverage": _rate(patrolled, working),
        "visits": visits,
        "visit_rate": min(100.0, _rate(visits, target)) if target else None,
        "survey_rate": _survey_rate(grid, last, 1 if months == 1 else 4),
    }
    figures["score"] = score(figures, weights)
    return figures


def compute(community, kind, period):
    """Save the assessment of each live grid of `community` for the period; returns them.

    A published result keeps its published flag; its figures are brought up to date."""
    first, last, months = period_bounds(kind, period)
    weights = weights_for(community)
    grids = list(
        GridPage.objects.live()
        .filter(path__startswith=community.path)
        .select_related("primary_worker")
        .order_by("code")
    )
    rows = stats.per_grid_figures(grids=grids, months=months, today=last)
    saved = []
    for grid in grids:
        figures = grid_figures(grid, kind, period, weights, rows[grid])
        assessment, _created = Assessment.objects.update_or_create(
            grid=grid,
            period=period,
            defaults={"kind": kind, "worker": grid.primary_worker, **figures},
        )
        saved.append(assessment)
    return saved


def compute_month(community, period):
    return compute(community, AssessmentPeriod.MONTH, period)


def compute_year(community, year):
    return compute(community, AssessmentPeriod.YEAR, str(year))


def compute_missing(today=None):
    """Compute last month (and, in January, last year) for every community that has no result
    for it yet; results are left unpublished, publishing is the community's decision. Returns
    the number of results made."""
    today = today or timezone.localdate()
    periods = [(AssessmentPeriod.MONTH, last_month(today))]
    if today.month == 1:
        periods.append((AssessmentPeriod.YEAR, str(today.year - 1)))
    made = 0
    for community in AreaPage.objects.live().filter(level__in=COMMUNITY_LEVELS):
        for kind, period in periods:
            done = Assessment.objects.filter(
                grid__path__startswith=community.path, period=period
            ).exists()
            if not done:
                made += len(compute(community, kind, period))
    return made
