"""What the weekly agenda and the assessment read from the field records: patrols, household
visits and handover slips (parts 1–3 of the grid worker's day).

One place, so the agenda and the assessment count the same way.
"""

from portal.calendar import is_working_day

from .models import HandoverSlip, Patrol, SlipState, Visit


def working_days(first, last):
    """The working days from `first` to `last` (inclusive), by the working calendar."""
    days = []
    day = first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day = day.fromordinal(day.toordinal() + 1)
    return days


def patrol_days(grid, first, last):
    """(working days with a patrol of `grid`, working days) from `first` to `last`."""
    days = set(working_days(first, last))
    patrolled = set(
        Patrol.objects.filter(grid=grid, date__gte=first, date__lte=last).values_list(
            "date", flat=True
        )
    )
    return len(patrolled & days), len(days)


def visits(grid, first, last):
    """The households of `grid` visited from `first` to `last` (each address counted once)."""
    return (
        Visit.objects.filter(grid=grid, date__gte=first, date__lte=last)
        .values("address")
        .distinct()
        .count()
    )


def open_slips(community):
    """The handover slips of the community's grids that the line has not finished yet."""
    return list(
        HandoverSlip.objects.filter(grid__path__startswith=community.path)
        .exclude(state=SlipState.DONE)
        .select_related("line", "grid")
        .order_by("deadline", "created_at")
    )
