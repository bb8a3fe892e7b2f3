"""The agenda of a community's weekly analysis meeting (民情分析会), generated from the records.

For the week (Monday to Sunday) and the community: new cases by category and by grid, cases
past their deadline, poor ratings (of cases and of the grid survey), open handover slips,
patrol coverage per grid, and the decisions of earlier meetings that are still open. Cases are
those the community's service centre sees (`visible_cases_for_centres`); a grid worker reading
it sees the counts, and only the cases they may open listed one by one.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from feedback.enums import AppealDecision
from feedback.handling.transitions import OPEN_STATES
from feedback.handling.visibility import visible_cases, visible_cases_for_centres
from feedback.models import Feedback, GridSurveyRating, Rating, ServiceCentre
from grids.models import GridPage

from . import records
from .models import MeetingDecision, WeeklyMeeting
from .models.meetings import week_start

POOR = 2  # ratings of 2 (不满意) and 1 (非常不满意) are poor
# A long backlog is counted whole and listed in part; the inbox's filter lists the rest.
LISTED = 30


@dataclass
class Agenda:
    community: object
    week_start: dt.date
    grids: list = field(default_factory=list)
    by_category: list = field(default_factory=list)  # [(category name, count)]
    by_grid: list = field(default_factory=list)  # [(grid title or None, count)]
    new_cases: int = 0
    overdue: list = field(default_factory=list)  # [Feedback], the LISTED longest overdue
    overdue_count: int = 0
    poor_ratings: list = field(default_factory=list)  # [Rating]
    poor_surveys: list = field(default_factory=list)  # [GridSurveyRating]
    open_slips: list = field(default_factory=list)
    coverage: list = field(default_factory=list)  # [(grid, days patrolled, working days)]
    open_decisions: list = field(default_factory=list)  # [MeetingDecision]
    meeting: object = None

    @property
    def week_end(self):
        return self.week_start + dt.timedelta(days=6)


def _bounds(monday):
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time()), zone)
    return start, start + dt.timedelta(days=7)


def community_cases(community):
    """The cases the community's service centre sees (`visible_cases_for_centres`); without a
    centre, the cases of the community's grids and areas."""
    centre = ServiceCentre.objects.filter(community=community).first()
    if centre is not None:
        return visible_cases_for_centres([centre])
    return Feedback.objects.filter(
        Q(grid__path__startswith=community.path) | Q(community__path__startswith=community.path)
    )


def build(community, day=None, now=None, viewer=None):
    """The Agenda of `community` for the week of `day` (default: this week).

    With a `viewer`, the cases listed one by one (overdue, poor ratings) are only those the
    viewer may open (`visible_cases`); the counts stay the community's."""
    monday = week_start(day)
    start, end = _bounds(monday)
    now = now or timezone.now()
    agenda = Agenda(community=community, week_start=monday)
    agenda.grids = list(
        GridPage.objects.live().filter(path__startswith=community.path).order_by("code")
    )
    cases = community_cases(community)
    new = cases.filter(created_at__gte=start, created_at__lt=end)
    agenda.new_cases = new.count()
    agenda.by_category = Counter(new.values_list("category__name", flat=True)).most_common()
    agenda.by_grid = Counter(new.values_list("grid__title", flat=True)).most_common()
    listed = cases if viewer is None else cases.filter(pk__in=visible_cases(viewer).values("pk"))
    overdue = listed.filter(state__in=OPEN_STATES, deadline__lt=min(now, end))
    agenda.overdue_count = overdue.count()
    agenda.overdue = list(overdue.select_related("grid", "category").order_by("deadline")[:LISTED])
    agenda.poor_ratings = list(
        Rating.objects.filter(
            case__in=listed, level__lte=POOR, created_at__gte=start, created_at__lt=end
        )
        .exclude(appeals__decision=AppealDecision.OVERTURNED)
        .select_related("case", "case__grid")
        .order_by("created_at")[:LISTED]
    )
    agenda.poor_surveys = list(
        GridSurveyRating.objects.filter(
            grid__in=agenda.grids, level__lte=POOR, created_at__gte=start, created_at__lt=end
        )
        .select_related("grid", "case")
        .order_by("created_at")
    )
    agenda.open_slips = records.open_slips(community)
    agenda.coverage = [
        (grid, *records.patrol_days(grid, monday, monday + dt.timedelta(days=6)))
        for grid in agenda.grids
    ]
    agenda.meeting = WeeklyMeeting.objects.filter(community=community, week_start=monday).first()
    agenda.open_decisions = list(
        MeetingDecision.objects.filter(
            meeting__community=community, meeting__week_start__lt=monday, done_on__isnull=True
        )
        .select_related("meeting", "owner", "grid")
        .order_by("deadline")
    )
    return agenda
