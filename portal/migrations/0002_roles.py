"""Remove Wagtail's starter groups ("Editors", "Moderators"): they can do more than any one job
needs. The portal's own roles are made by `manage.py setup_portal` (portal/roles.py), which
used to be this migration's work; no migration imports live code, so editing the roles never
rewrites history."""

from django.db import migrations

WAGTAIL_STARTER_GROUPS = ["Editors", "Moderators"]


def remove_starter_groups(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=WAGTAIL_STARTER_GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(remove_starter_groups, migrations.RunPython.noop)]
