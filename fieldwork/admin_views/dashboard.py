"""The grid worker's dashboard panel: today's patrol, visits due, overdue slips."""

from django.utils import timezone

from ..models import Patrol, SlipState
from ..visibility import (
    visible_slips,
    visible_visits,
)
from ..visiting import visible_due_visits


def today_counts(user, today=None):
    """For a grid worker's dashboard: today's patrol of each of their grids, visits due, and
    open slips past their deadline, all within what `user` may see."""
    from grids.models import grids_for_user

    today = today or timezone.localdate()
    grids = list(grids_for_user(user))
    logged = set(
        Patrol.objects.filter(grid__in=grids, date=today).values_list("grid_id", flat=True)
    )
    return {
        "grids": [(grid, grid.pk in logged) for grid in grids],
        "due_visits": visible_due_visits(visible_visits(user), today).count(),
        "overdue_slips": visible_slips(user)
        .exclude(state=SlipState.DONE)
        .filter(deadline__lt=timezone.now())
        .count(),
    }
