"""The notices app's part of `manage.py setup_portal`: permissions on the configurable lists,
the publicity index and its "公示审核" workflow.

Publicity is published only through the workflow: the service centre reviews, then the
subdistrict approves (and so publishes). Both steps are PublicityReviewTask (the submitter cannot
approve), and no group is granted "publish" on the publicity index: editors' publish permission
on the home page does not reach publicity either (notices.models.review).
"""

from django.contrib.auth.models import Group
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from portal import roles
from portal.setup import grant_model_permissions, grant_page_permissions, site_root_page

from .models import ApprovalIndexPage, PublicityReviewTask

WORKFLOW_NAME = "公示审核"
# The workflow's steps in order: task name, the role that reviews it.
TASKS = [("服务中心审核", roles.SERVICE_CENTRE_STAFF), ("街道审批", roles.PUBLICITY_REVIEWERS)]
INDEX_SLUG = "publicity"
INDEX_TITLE = "公示公告"
INDEX_INTRODUCTION = "社区受理的各项审批结果在这里公示。公示期内对公示对象有异议的，可以提出。"

MODEL_PERMISSIONS = {
    roles.EDITORS: ["notices.view_noticecategory", "notices.view_approvalmatter"],
    roles.SERVICE_CENTRE_STAFF: ["notices.view_noticecategory", "notices.view_approvalmatter"],
    roles.PUBLICITY_REVIEWERS: ["notices.view_approvalmatter"],
    roles.ADMINISTRATORS: [
        f"notices.{action}_{model}"
        for model in ("noticecategory", "approvalmatter")
        for action in ("add", "change", "delete", "view")
    ],
}
# On the publicity index: the centre drafts batches; the workflow's approval publishes them.
INDEX_PAGE_PERMISSIONS = {
    roles.SERVICE_CENTRE_STAFF: ["add_page", "change_page"],
    roles.PUBLICITY_REVIEWERS: ["change_page"],
}


def publicity_workflow():
    """The "公示审核" workflow with its two review steps, made if missing."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (task_name, role) in enumerate(TASKS):
        task = PublicityReviewTask.objects.filter(name=task_name).first()
        if task is None:
            task = PublicityReviewTask.objects.create(name=task_name, active=True)
        task.groups.add(Group.objects.get_or_create(name=role)[0])
        WorkflowTask.objects.get_or_create(
            workflow=workflow, task=task, defaults={"sort_order": order}
        )
    return workflow


def publicity_index(home):
    """The publicity index under the home page, added and published (with a revision) if
    there is none."""
    index = ApprovalIndexPage.objects.descendant_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ApprovalIndexPage(
                title=INDEX_TITLE,
                slug=INDEX_SLUG,
                show_in_menus=True,
                introduction=INDEX_INTRODUCTION,
            )
        )
        index.save_revision().publish()
    return index


def run(stdout=None):
    for role, permissions in MODEL_PERMISSIONS.items():
        grant_model_permissions(role, permissions)
    workflow = publicity_workflow()
    home = site_root_page()
    if home is None:
        return
    index = publicity_index(home)
    WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    for role, codenames in INDEX_PAGE_PERMISSIONS.items():
        grant_page_permissions(role, index, codenames)
