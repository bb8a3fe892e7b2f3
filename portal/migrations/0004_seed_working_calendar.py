"""Seed the working calendar for this year and next, and let the service centre keep it."""

from django.db import migrations
from django.utils import timezone

from portal import roles
from portal.calendar import seed_calendar

CALENDAR_PERMISSIONS = [
    "portal.add_calendarday",
    "portal.change_calendarday",
    "portal.delete_calendarday",
    "portal.view_calendarday",
]


def seed(apps, schema_editor):
    this_year = timezone.localdate().year
    seed_calendar([this_year, this_year + 1], model=apps.get_model("portal.CalendarDay"))
    for role in (roles.SERVICE_CENTRE_STAFF, roles.ADMINISTRATORS):
        roles.grant_model_permissions(apps, role, CALENDAR_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_calendarday"), ("portal", "0002_roles")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
