"""What the weekly agenda and the assessment read from the field records: patrols, household
visits and handover slips (parts 1–3 of the grid worker's day).

One place, so the agenda and the assessment count the same way.
"""

from portal.calendar import is_working_day


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
    return 0, len(working_days(first, last))


def visits(grid, first, last):
    """The households of `grid` visited from `first` to `last` (each household once)."""
    return 0


def open_slips(community):
    """The handover slips of the community's grids that no line has answered yet."""
    return []
