"""Formerly seeded the working calendar and granted its permissions; both are now done by
`manage.py setup_portal` (portal/setup.py), so that no migration runs live code. Kept, empty,
because existing databases have applied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_calendarday"), ("portal", "0002_roles")]

    operations = []
