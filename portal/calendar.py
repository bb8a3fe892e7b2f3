"""The working calendar (工作日历): working-day and working-hour arithmetic over CalendarDay data.

Monday to Friday are working days unless a CalendarDay marks a holiday; a weekend day is a
working day when a CalendarDay marks it as a make-up working day (调休). Publicity periods and
feedback deadlines both count with these functions.
"""

import datetime as dt

from django.utils import timezone

from . import versions
from .models import CalendarDay

# Office hours used by add_working_hours (local time, Asia/Shanghai).
WORKDAY_START = dt.time(9, 0)
WORKDAY_END = dt.time(17, 0)
# A chunk of dates read at once; a long period reads more chunks.
_CHUNK_DAYS = 62


def _all_overrides():
    """{date: is_working_day} for every listed date (a few dozen a year), cached under the
    calendar's version, which any change to a CalendarDay raises (portal.versions)."""

    def build():
        rows = CalendarDay.objects.values_list("date", "kind")
        return {day: kind == CalendarDay.WORKING_DAY for day, kind in rows}

    return versions.cached("portal:calendar", build=build, depends_on=[versions.CALENDAR])


def _overrides(start, end):
    """{date: is_working_day} for the listed dates between start and end inclusive."""
    return {day: working for day, working in _all_overrides().items() if start <= day <= end}


def _calendar_changed(**kwargs):
    versions.bump(versions.CALENDAR)


def connect_signals():
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_calendar_changed, sender=CalendarDay, dispatch_uid="portal-calendar-saved")
    post_delete.connect(
        _calendar_changed, sender=CalendarDay, dispatch_uid="portal-calendar-deleted"
    )


def _is_working(day, overrides):
    if day in overrides:
        return overrides[day]
    return day.weekday() < 5


def is_working_day(day):
    """True when `day` is a working day by the calendar."""
    return _is_working(day, _overrides(day, day))


def _working_days_from(day, step):
    """Yield the working days after `day` (step +1) or before it (step -1), nearest first."""
    current = day
    while True:
        if step > 0:
            window = _overrides(current + dt.timedelta(days=1), current + dt.timedelta(_CHUNK_DAYS))
        else:
            window = _overrides(current - dt.timedelta(_CHUNK_DAYS), current - dt.timedelta(days=1))
        for _i in range(_CHUNK_DAYS):
            current += dt.timedelta(days=step)
            if _is_working(current, window):
                yield current


def add_working_days(day, n):
    """The n-th working day after `day` (n > 0), before it (n < 0), or `day` itself (n == 0)."""
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    if n == 0:
        return day
    step = 1 if n > 0 else -1
    for count, working_day in enumerate(_working_days_from(day, step), start=1):
        if count == abs(n):
            return working_day
    raise AssertionError("unreachable")  # pragma: no cover


def working_period_end(start, n):
    """The last day of a period of n working days that begins on `start` (counted if working)."""
    if n < 1:
        raise ValueError("a period has at least one working day")
    return add_working_days(start - dt.timedelta(days=1), n)


def add_working_hours(moment, hours):
    """The moment `hours` office hours (9:00-17:00 on working days) after `moment`.

    Time outside office hours does not count: 4 hours from Friday 16:00 is Monday 12:00,
    unless Monday is a holiday. An aware datetime comes back aware, in local time.
    """
    aware = timezone.is_aware(moment)
    local = timezone.localtime(moment) if aware else moment
    remaining = dt.timedelta(hours=hours)
    day = local.date()
    cursor = local.replace(tzinfo=None)
    if not is_working_day(day) or cursor.time() >= WORKDAY_END:
        day = add_working_days(day, 1)
        cursor = dt.datetime.combine(day, WORKDAY_START)
    elif cursor.time() < WORKDAY_START:
        cursor = dt.datetime.combine(day, WORKDAY_START)
    while True:
        end_of_day = dt.datetime.combine(day, WORKDAY_END)
        available = end_of_day - cursor
        if remaining <= available:
            result = cursor + remaining
            break
        remaining -= available
        day = add_working_days(day, 1)
        cursor = dt.datetime.combine(day, WORKDAY_START)
    if aware:
        return timezone.make_aware(result, timezone.get_current_timezone())
    return result


def official_days(year):
    """(date, kind, name) for the holidays and make-up working days of `year` from the
    `chinesecalendar` package; empty when the package has no data for that year yet."""
    import chinese_calendar

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    try:
        chinese_calendar.is_workday(start)
    except NotImplementedError:
        return []
    days = []
    current = start
    while current <= end:
        on_holiday, name = chinese_calendar.get_holiday_detail(current)
        weekend = current.weekday() >= 5
        label = _holiday_label(name)
        if on_holiday and not weekend:
            days.append((current, CalendarDay.HOLIDAY, label))
        elif not on_holiday and weekend:
            days.append((current, CalendarDay.WORKING_DAY, f"{label}调休" if label else "调休"))
        elif on_holiday and weekend and name:
            # A weekend inside a holiday is a rest day anyway; list it so the calendar reads whole.
            days.append((current, CalendarDay.HOLIDAY, label))
        current += dt.timedelta(days=1)
    return days


_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def _holiday_label(name):
    return _HOLIDAY_NAMES.get(name, name or "")


def seed_calendar(years, model=CalendarDay):
    """Add the official days of `years` that are not listed yet; returns (added, years without
    data). Dates an editor has already entered are left as they are."""
    added, missing = 0, []
    for year in years:
        days = official_days(year)
        if not days:
            missing.append(year)
            continue
        existing = set(model.objects.filter(date__year=year).values_list("date", flat=True))
        new = [
            model(date=day, kind=kind, name=name) for day, kind, name in days if day not in existing
        ]
        model.objects.bulk_create(new)
        added += len(new)
    if added and model is CalendarDay:
        # bulk_create sends no post_save, so the version is raised here. (A migration passes its
        # historical model, before the versions table exists; nothing is cached then.)
        versions.bump(versions.CALENDAR)
    return added, missing
