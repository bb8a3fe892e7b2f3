# DutyRun leaves feedback: its table becomes portal.JobRun's (portal 0007 took over the state).
# The table is renamed and its constraint given portal's name; its rows stay.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0006_publicity_batches_only"),
        ("portal", "0007_jobrun"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RemoveConstraint(model_name="dutyrun", name="feedback_duty_once"),
                migrations.AddConstraint(
                    model_name="dutyrun",
                    constraint=models.UniqueConstraint(
                        fields=("name", "day"), name="portal_job_once"
                    ),
                ),
                migrations.AlterModelTable(name="dutyrun", table="portal_jobrun"),
            ],
            state_operations=[
                migrations.DeleteModel(name="DutyRun"),
            ],
        ),
    ]
