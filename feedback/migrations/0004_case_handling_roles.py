"""Formerly granted the case-handling permissions; `manage.py setup_portal` grants them now
(feedback/setup.py), so that no migration runs live code. Kept, empty, because existing
databases have applied it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_case_handling")]

    operations = []
