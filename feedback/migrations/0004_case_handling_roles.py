"""Permissions for case handling: grid workers handle their grids' cases; the service centre
keeps reply templates and its staff list."""

from django.db import migrations

from portal import roles

GRANTS = {
    roles.GRID_WORKERS: ["feedback.change_feedback"],
    roles.SERVICE_CENTRE_STAFF: [
        "feedback.add_replytemplate",
        "feedback.change_replytemplate",
        "feedback.delete_replytemplate",
        "feedback.view_centremembership",
    ],
    roles.ADMINISTRATORS: [
        "feedback.add_replytemplate",
        "feedback.change_replytemplate",
        "feedback.delete_replytemplate",
        "feedback.add_centremembership",
        "feedback.change_centremembership",
        "feedback.delete_centremembership",
        "feedback.view_centremembership",
    ],
}


def forwards(apps, schema_editor):
    for role, names in GRANTS.items():
        roles.grant_model_permissions(apps, role, names)


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_case_handling")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
