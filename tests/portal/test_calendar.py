"""The working calendar: holidays, make-up working days, working-day and working-hour arithmetic."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from portal.calendar import (
    add_working_days,
    add_working_hours,
    is_working_day,
    seed_calendar,
    working_period_end,
)
from portal.models import CalendarDay

pytestmark = pytest.mark.django_db
D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def calendar_2026():
    """The official 2026 calendar only, whatever year the suite runs in."""
    CalendarDay.objects.all().delete()
    added, missing = seed_calendar([2026])
    assert added > 0 and missing == []


def test_national_day_week_is_not_working(calendar_2026):
    """1-7 October 2026 are holidays, even the weekdays among them."""
    assert not any(is_working_day(D(2026, 10, day)) for day in range(1, 8))


def test_national_day_make_up_saturday_is_working(calendar_2026):
    """Saturday 10 October 2026 and Sunday 20 September 2026 are make-up working days."""
    assert is_working_day(D(2026, 10, 10))
    assert is_working_day(D(2026, 9, 20))
    assert not is_working_day(D(2026, 10, 11))


def test_add_working_days_across_national_day(calendar_2026):
    """Three working days after 30 September 2026 are 8, 9 and 10 October (a make-up Saturday)."""
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert add_working_days(D(2026, 9, 30), 4) == D(2026, 10, 12)


def test_add_working_days_across_spring_festival(calendar_2026):
    """Spring Festival 2026 (15-23 February) is skipped; Saturday 14 February is worked."""
    assert is_working_day(D(2026, 2, 14))
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert add_working_days(D(2026, 2, 24), 4) == D(2026, 2, 28)


def test_add_working_days_backwards_and_zero(calendar_2026):
    """Negative counts go back over the holiday; zero returns the same date."""
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_publicity_period_of_seven_working_days(calendar_2026):
    """A seven-working-day period starting Monday 28 September 2026 ends on Monday 12 October."""
    assert working_period_end(D(2026, 9, 28), 7) == D(2026, 10, 12)


def test_plain_weeks_without_calendar_entries():
    """With no calendar data, Monday to Friday count and weekends do not."""
    CalendarDay.objects.all().delete()
    assert add_working_days(D(2030, 3, 8), 1) == D(2030, 3, 11)  # Friday -> Monday
    assert working_period_end(D(2030, 3, 4), 5) == D(2030, 3, 8)


def test_an_edited_day_changes_the_arithmetic():
    """A holiday entered in the admin is skipped from then on."""
    CalendarDay.objects.all().delete()
    assert add_working_days(D(2030, 3, 8), 1) == D(2030, 3, 11)  # read (and cached) before
    CalendarDay.objects.create(date=D(2030, 3, 11), kind=CalendarDay.HOLIDAY, name="演示假日")
    assert add_working_days(D(2030, 3, 8), 1) == D(2030, 3, 12)
    CalendarDay.objects.filter(date=D(2030, 3, 11)).delete()
    assert add_working_days(D(2030, 3, 8), 1) == D(2030, 3, 11)


def test_add_working_hours_skips_nights_weekends_and_holidays(calendar_2026):
    """Four office hours from Wednesday 30 September 16:00 end on Thursday 8 October 12:00."""
    start = dt.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI)
    assert add_working_hours(start, 4) == dt.datetime(2026, 10, 8, 12, 0, tzinfo=SHANGHAI)


def test_add_working_hours_outside_office_hours(calendar_2026):
    """Two hours asked for on a Sunday evening start counting at 9:00 on the next working day."""
    start = dt.datetime(2026, 11, 29, 20, 0, tzinfo=SHANGHAI)
    assert add_working_hours(start, 2) == dt.datetime(2026, 11, 30, 11, 0, tzinfo=SHANGHAI)


def test_seed_keeps_edits_and_reports_missing_years():
    """Seeding twice adds nothing new, and a year without official data is reported."""
    CalendarDay.objects.all().delete()
    first, _ = seed_calendar([2026])
    again, missing = seed_calendar([2026, 2099])
    assert first > 20
    assert again == 0
    assert missing == [2099]


def test_seeded_days_apply_at_once():
    """Seeding adds rows without signals; the cached calendar still sees them at once."""
    CalendarDay.objects.all().delete()
    assert is_working_day(D(2026, 10, 1))  # a Thursday, with no calendar listed
    seed_calendar([2026])
    assert not is_working_day(D(2026, 10, 1))  # National Day


def test_seed_command_warns_about_missing_year():
    """The command names a year it could not seed, so staff know to enter it by hand."""
    out = io.StringIO()
    call_command("seed_working_calendar", "2099", stdout=out)
    assert "2099" in out.getvalue()
    assert "Added 0" in out.getvalue()


def test_calendar_is_editable_in_the_admin(client, administrator):
    """An administrator sees the calendar listing in the admin."""
    CalendarDay.objects.create(date=D(2030, 5, 1), kind=CalendarDay.HOLIDAY, name="劳动节")
    client.force_login(administrator)
    response = client.get("/admin/working_calendar/")
    assert response.status_code == 200
    assert "劳动节" in response.content.decode()
