"""As modelsearch's test app does (its migration 0005): on PostgreSQL, the extensions its
database backend can use, once Wagtail's search table they index exists."""

from django.core.management import call_command
from django.db import connection, migrations


def enable_pg_extensions(apps, schema_editor):
    if connection.vendor != "postgresql":
        return
    call_command("enable_unaccent", verbosity=0)
    call_command("enable_trigram", verbosity=0)
    call_command("enable_fuzzystrmatch", verbosity=0)


class Migration(migrations.Migration):
    dependencies = [
        ("searchtests", "0001_initial"),
        ("modelsearch", "0003_add_text_fields"),
        ("wagtailsearch", "__latest__"),
    ]

    operations = [
        migrations.RunPython(enable_pg_extensions, migrations.RunPython.noop),
    ]
