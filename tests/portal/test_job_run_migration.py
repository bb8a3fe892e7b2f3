"""The log of the worker's daily jobs moved from feedback (DutyRun) to portal (JobRun): the
migration pair keeps the table's rows and its once-a-day guard, and can be reversed."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("feedback", "0006_publicity_batches_only"), ("portal", "0006_move_uploads_out_of_media")]
AFTER = [("feedback", "0007_jobrun_to_portal"), ("portal", "0007_jobrun")]
DAY = dt.date(2026, 11, 29)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_job_runs_logged_before_the_move_are_kept():
    """A run logged in feedback's table is portal's after the move, guard included, and back."""
    try:
        old = migrate(BEFORE)
        old.get_model("feedback", "DutyRun").objects.create(name="digest", day=DAY, details="7")

        job_run = migrate(AFTER).get_model("portal", "JobRun")
        assert list(job_run.objects.values_list("name", "day", "details")) == [("digest", DAY, "7")]
        with pytest.raises(IntegrityError), transaction.atomic():
            job_run.objects.create(name="digest", day=DAY)

        duty_run = migrate(BEFORE).get_model("feedback", "DutyRun")
        assert list(duty_run.objects.values_list("name", "day")) == [("digest", DAY)]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
