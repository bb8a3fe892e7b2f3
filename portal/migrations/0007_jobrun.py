# The log and once-a-day guard of the worker's jobs moves here from feedback (feedback.DutyRun).
# State only: the table is feedback's until feedback 0007 renames it to portal_jobrun, so rows
# already logged stay and nothing is copied.

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0006_move_uploads_out_of_media"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="JobRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("name", models.CharField(max_length=40, verbose_name="任务")),
                        ("day", models.DateField(verbose_name="日期")),
                        ("details", models.TextField(blank=True, verbose_name="结果")),
                        (
                            "at",
                            models.DateTimeField(
                                default=django.utils.timezone.now, verbose_name="时间"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "定时任务记录",
                        "verbose_name_plural": "定时任务记录",
                        "ordering": ["-at"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("name", "day"), name="portal_job_once"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
