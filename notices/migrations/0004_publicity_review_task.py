"""Publicity is published only by the workflow's approval, and never by its own submitter.

The two steps of the "公示审核" workflow become PublicityReviewTask (a GroupApprovalTask whose
submitter cannot approve), and no group keeps a publish permission granted on a publicity
index (0002 gave one to the publicity reviewers, which let them skip the centre's review).
Editors' publish permission on the home page no longer reaches publicity either: the page
permission tester withholds it there (notices.models.review).
"""

import django.db.models.deletion
from django.db import migrations, models

WORKFLOW_NAME = "公示审核"
PUBLICITY_REVIEWERS = "公示审核员"  # the group name, frozen here (portal/roles.py)


def _workflow_tasks(apps):
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    return WorkflowTask.objects.filter(workflow__name=WORKFLOW_NAME).select_related("task")


def _publicity_publish_grants(apps):
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    ApprovalIndexPage = apps.get_model("notices.ApprovalIndexPage")
    paths = list(ApprovalIndexPage.objects.values_list("path", flat=True))
    grants = GroupPagePermission.objects.filter(
        permission__content_type__app_label="wagtailcore", permission__codename="publish_page"
    ).select_related("page")
    return [grant for grant in grants if any(grant.page.path.startswith(p) for p in paths)]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    PublicityReviewTask = apps.get_model("notices.PublicityReviewTask")
    Task = apps.get_model("wagtailcore.Task")
    review_type, _ = ContentType.objects.get_or_create(
        app_label="notices", model="publicityreviewtask"
    )
    for workflow_task in _workflow_tasks(apps):
        task_id = workflow_task.task_id
        if not GroupApprovalTask.objects.filter(pk=task_id).exists():
            continue
        if not PublicityReviewTask.objects.filter(pk=task_id).exists():
            # Add the subclass row under the existing task (its name, groups and history stay).
            PublicityReviewTask(groupapprovaltask_ptr_id=task_id).save_base(raw=True)
        Task.objects.filter(pk=task_id).update(content_type=review_type)

    for grant in _publicity_publish_grants(apps):
        grant.delete()


def backwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    PublicityReviewTask = apps.get_model("notices.PublicityReviewTask")
    Task = apps.get_model("wagtailcore.Task")
    group_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task_ids = list(PublicityReviewTask.objects.values_list("pk", flat=True))
    Task.objects.filter(pk__in=task_ids).update(content_type=group_type)
    # Remove only the subclass rows: deleting the model instances would delete the tasks too.
    table = schema_editor.quote_name(PublicityReviewTask._meta.db_table)
    for task_id in task_ids:
        schema_editor.execute(f"DELETE FROM {table} WHERE groupapprovaltask_ptr_id = %s", [task_id])

    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    ApprovalIndexPage = apps.get_model("notices.ApprovalIndexPage")
    reviewers = Group.objects.filter(name=PUBLICITY_REVIEWERS).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if reviewers is None or publish is None:
        return
    for index in ApprovalIndexPage.objects.all():
        GroupPagePermission.objects.get_or_create(
            group=reviewers, page_id=index.pk, permission=publish
        )


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0003_notice_target_grids"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicityReviewTask",
            fields=[
                (
                    "groupapprovaltask_ptr",
                    models.OneToOneField(
                        auto_created=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        parent_link=True,
                        primary_key=True,
                        serialize=False,
                        to="wagtailcore.groupapprovaltask",
                    ),
                ),
            ],
            options={
                "verbose_name": "公示审核步骤",
                "verbose_name_plural": "公示审核步骤",
            },
            bases=("wagtailcore.groupapprovaltask",),
        ),
        migrations.RunPython(forwards, backwards),
    ]
