"""The results of a review campaign: the mean score per aspect and pair, and the residents'
part read from the grid survey of the campaign's period.

Residents answer the grid survey (one overall level, 1–5); a campaign counts the survey
ratings of its community's grids made during its period as the residents' score on the
aspect 群众是否满意. Ratings of the other aspects come only from the entered reviews.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.utils import timezone

from feedback.models import GridSurveyRating
from grids.models import GridPage

from .models import ReviewAspect, ReviewPair, ReviewScore


@dataclass
class Cell:
    mean: float | None = None
    count: int = 0


@dataclass
class PairResult:
    pair: ReviewPair
    cells: list = field(default_factory=list)  # [(aspect, Cell)] in the enum's order
    reviews: int = 0

    @property
    def label(self):
        return self.pair.label

    @property
    def direction(self):
        return "downward" if self.pair.downward else "upward"


def _aware(day, end=False):
    moment = dt.datetime.combine(day + dt.timedelta(days=1) if end else day, dt.time())
    return timezone.make_aware(moment, timezone.get_current_timezone())


def survey_in_period(campaign):
    """The survey ratings of the campaign's grids made during its period."""
    grids = GridPage.objects.filter(path__startswith=campaign.community.path)
    return GridSurveyRating.objects.filter(
        grid__in=grids,
        created_at__gte=_aware(campaign.starts_on),
        created_at__lt=_aware(campaign.ends_on, end=True),
    )


def results(campaign):
    """[PairResult] for each pair the campaign covers, aspects in the enum's order."""
    rows = (
        ReviewScore.objects.filter(review__campaign=campaign)
        .values("review__pair", "aspect")
        .annotate(mean=Avg("score"), count=Count("pk"))
    )
    found = {(row["review__pair"], row["aspect"]): row for row in rows}
    review_counts = dict(
        campaign.reviews.values("pair").annotate(n=Count("pk")).values_list("pair", "n")
    )
    survey = None
    if campaign.resident_grid:
        survey = survey_in_period(campaign).aggregate(mean=Avg("level"), count=Count("pk"))
    out = []
    for pair in campaign.pairs:
        result = PairResult(pair)
        for aspect in ReviewAspect:
            if pair == ReviewPair.RESIDENT_GRID:
                cell = (
                    Cell(_round(survey["mean"]), survey["count"])
                    if aspect == ReviewAspect.SATISFACTION
                    else Cell()
                )
            else:
                row = found.get((pair.value, aspect.value))
                cell = Cell(_round(row["mean"]), row["count"]) if row else Cell()
            result.cells.append((aspect, cell))
        result.reviews = (
            survey["count"] if pair == ReviewPair.RESIDENT_GRID else review_counts.get(pair, 0)
        )
        out.append(result)
    return out


def _round(value):
    return None if value is None else round(value, 2)


def page_context(campaign):
    """What the results pages (public and admin) show: the pairs, the table rows (an aspect
    and its cell per pair) and the improvement actions."""
    pairs = results(campaign)
    rows = [
        (aspect, [(result, dict(result.cells)[aspect]) for result in pairs])
        for aspect in ReviewAspect
    ]
    return {
        "campaign": campaign,
        "results": pairs,
        "rows": rows,
        "actions": campaign.actions.order_by("deadline", "sort_order"),
    }
