"""The default grid levels. (The roles' grids permissions, once granted here, are granted by
`manage.py setup_portal`: grids/setup.py.)"""

from django.db import migrations

DEFAULT_LEVELS = [
    ("日常管理型", 10, "#dcebd8", "常规巡查，按日常要求走访"),
    ("一般防范型", 20, "#dbe7f3", "加密巡查，关注安全隐患"),
    ("重点关注型", 30, "#f6e7c8", "重点人员和场所较多，逐户走访"),
    ("严密管控型", 40, "#f3d6d3", "特殊时期或重点区域，全天候值守"),
]

def forwards(apps, schema_editor):
    GridLevel = apps.get_model("grids", "GridLevel")
    for name, order, colour, description in DEFAULT_LEVELS:
        GridLevel.objects.get_or_create(
            name=name,
            defaults={"sort_order": order, "colour": colour, "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
