"""The "公示审核" workflow: made by migration, required before publicity goes live."""

import pytest
from django.urls import reverse
from wagtail.models import Workflow, WorkflowState

from notices.factories import ApprovalOutcomePageFactory, NoticeIndexPageFactory
from notices.models import ApprovalIndexPage, ApprovalOutcome, ApprovalOutcomePage
from portal import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(publicity_index):
    """A publicity batch saved as a draft, as the service centre would leave it."""
    page = ApprovalOutcomePageFactory.build(title="2026年第5批临时救助对象公示", live=False)
    page.outcomes = [ApprovalOutcome(applicant="张小三", grid_name="第一网格")]
    publicity_index.add_child(instance=page)
    page.save_revision()
    return page


def test_workflow_exists_and_is_assigned_to_the_publicity_index(publicity_index):
    """The migration made the workflow with the centre's review then the subdistrict's approval."""
    workflow = Workflow.objects.get(name="公示审核")
    tasks = [task.specific for task in workflow.tasks.order_by("workflow_tasks__sort_order")]
    assert [task.name for task in tasks] == ["服务中心审核", "街道审批"]
    assert [[g.name for g in task.groups.all()] for task in tasks] == [
        [roles.SERVICE_CENTRE_STAFF],
        [roles.PUBLICITY_REVIEWERS],
    ]
    assert publicity_index.get_workflow() == workflow


def test_a_new_publicity_index_gets_the_workflow(home_page):
    """Another publicity index made later is assigned the workflow too."""
    other = ApprovalIndexPage(title="第二公示栏", slug="publicity-2")
    home_page.add_child(instance=other)
    assert other.get_workflow().name == "公示审核"


def test_notice_index_is_not_under_the_workflow(home_page):
    """Ordinary notices are not held up by the publicity workflow."""
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    workflow = index.get_workflow()
    assert workflow is None or workflow.name != "公示审核"


def test_editor_cannot_publish_publicity_directly(client, editor, draft):
    """An editor's "publish" on a publicity page is refused with an explanation."""
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, {"action-publish": "action-publish"}, follow=True)
    assert not ApprovalOutcomePage.objects.get(pk=draft.pk).live
    assert "公示不能直接发布" in response.content.decode()


def test_editor_cannot_publish_new_publicity_directly(client, editor, publicity_index):
    """Creating publicity with "publish" is refused before anything is saved."""
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add", args=["notices", "approvaloutcomepage", publicity_index.pk]
    )
    response = client.post(url, {"action-publish": "action-publish", "title": "x"}, follow=True)
    assert "公示不能直接发布" in response.content.decode()
    assert not ApprovalOutcomePage.objects.filter(title="x").exists()


def test_publish_button_is_hidden_for_publicity(client, editor, draft):
    """The editor's page editor offers "submit for review" but no publish button."""
    client.force_login(editor)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).content.decode()
    assert 'name="action-publish"' not in html
    assert 'name="action-submit"' in html


def test_publish_button_stays_for_notices(client, editor, home_page):
    """Ordinary notices keep the publish button for editors."""
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:add", args=["notices", "noticepage", index.pk])
    assert 'name="action-publish"' in client.get(url).content.decode()


def approve(client, user, page):
    page.refresh_from_db()
    state = page.current_workflow_state
    task_state = state.current_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_publicity_goes_live_after_centre_review_and_subdistrict_approval(
    client, editor, centre, reviewer, draft
):
    """Submitted publicity is published only after both approvals, each by its own group."""
    Workflow.objects.get(name="公示审核").start(draft, editor)
    approve(client, centre, draft)
    draft.refresh_from_db()
    assert not draft.live
    assert draft.current_workflow_task.name == "街道审批"
    approve(client, reviewer, draft)
    draft.refresh_from_db()
    assert draft.live
    assert (
        WorkflowState.objects.get(base_content_type__model="page", object_id=str(draft.pk)).status
        == "approved"
    )


def test_reviewer_cannot_approve_the_centre_step(client, editor, reviewer, draft):
    """The subdistrict reviewer cannot take the service centre's step."""
    Workflow.objects.get(name="公示审核").start(draft, editor)
    response = approve(client, reviewer, draft)
    draft.refresh_from_db()
    assert response.status_code in (302, 403)  # Wagtail redirects a refused action
    assert draft.current_workflow_task.name == "服务中心审核"
