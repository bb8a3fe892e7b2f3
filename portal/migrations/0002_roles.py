"""Create the staff groups with the permissions their jobs need (portal/roles.py)."""

from django.db import migrations

from portal.roles import create_roles, remove_roles


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("home", "0002_create_homepage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailredirects", "0008_add_verbose_name_plural"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
