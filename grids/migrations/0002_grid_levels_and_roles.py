"""The default grid levels, and the grids permissions each staff role needs."""

from django.db import migrations

from portal import roles

DEFAULT_LEVELS = [
    ("日常管理型", 10, "#dcebd8", "常规巡查，按日常要求走访"),
    ("一般防范型", 20, "#dbe7f3", "加密巡查，关注安全隐患"),
    ("重点关注型", 30, "#f6e7c8", "重点人员和场所较多，逐户走访"),
    ("严密管控型", 40, "#f3d6d3", "特殊时期或重点区域，全天候值守"),
]

GRANTS = {
    roles.EDITORS: [
        "grids.add_gridworker",
        "grids.change_gridworker",
    ],
    roles.SERVICE_CENTRE_STAFF: ["grids.change_gridworker"],
    roles.ADMINISTRATORS: [
        "grids.add_gridworker",
        "grids.change_gridworker",
        "grids.delete_gridworker",
        "grids.add_gridlevel",
        "grids.change_gridlevel",
        "grids.delete_gridlevel",
    ],
}


def forwards(apps, schema_editor):
    GridLevel = apps.get_model("grids", "GridLevel")
    for name, order, colour, description in DEFAULT_LEVELS:
        GridLevel.objects.get_or_create(
            name=name,
            defaults={"sort_order": order, "colour": colour, "description": description},
        )
    for role, names in GRANTS.items():
        roles.grant_model_permissions(apps, role, names)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        codenames = [name.split(".", 1)[1] for name in names]
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="grids", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("grids", "0001_initial"),
        ("portal", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
