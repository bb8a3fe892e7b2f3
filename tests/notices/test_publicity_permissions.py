"""Publicity goes live only through the "公示审核" workflow, whichever admin path is tried."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Workflow

from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalIndexPage, ApprovalOutcome, ApprovalOutcomePage
from portal import roles

from .forms import publicity_form

pytestmark = pytest.mark.django_db


def add_batch(parent, title, live, slug=None):
    page = ApprovalOutcomePageFactory.build(title=title, slug=slug or f"b{abs(hash(title))}")
    page.live = live
    page.outcomes = [ApprovalOutcome(applicant="张小三", grid_name="第一网格")]
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    return ApprovalOutcomePage.objects.get(pk=page.pk)


@pytest.fixture
def live_batch(publicity_index):
    """A batch that passed the workflow and is live."""
    return add_batch(publicity_index, "2026年第1批最低生活保障新增对象公示", live=True, slug="b1")


@pytest.fixture
def draft_batch(publicity_index):
    """A batch the service centre saved as a draft."""
    return add_batch(publicity_index, "2026年第2批临时救助对象公示", live=False, slug="b2")


def is_live(page):
    return ApprovalOutcomePage.objects.get(pk=page.pk).live


def test_editor_publish_on_edit_does_not_go_live(client, editor, draft_batch):
    """An editor's "publish" on the publicity editor leaves the batch a draft."""
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_batch.pk]),
        publicity_form(draft_batch, **{"action-publish": "action-publish"}),
    )
    assert not is_live(draft_batch)


def test_editor_publish_on_create_does_not_go_live(client, editor, publicity_index):
    """Creating a batch with "publish" makes no live publicity."""
    client.force_login(editor)
    url = reverse(
        "wagtailadmin_pages:add", args=["notices", "approvaloutcomepage", publicity_index.pk]
    )
    client.post(url, publicity_form(**{"action-publish": "action-publish"}))
    assert not ApprovalOutcomePage.objects.filter(slug="batch-9", live=True).exists()


def copy(client, page, parent, **fields):
    data = {"new_title": "2026年第1批（更正）", "new_slug": "copy", "new_parent_page": parent.pk}
    return client.post(reverse("wagtailadmin_pages:copy", args=[page.pk]), {**data, **fields})


def test_editor_copy_with_publish_copies_makes_no_live_copy(
    client, editor, live_batch, publicity_index
):
    """Copying a live batch with "publish copies" is refused at the publicity index."""
    client.force_login(editor)
    response = copy(client, live_batch, publicity_index, publish_copies="on")
    assert response.status_code == 200  # the copy form again, with the refusal on the parent
    assert not ApprovalOutcomePage.objects.filter(slug="copy").exists()


def test_editor_copy_without_publish_copies_is_a_draft(client, editor, live_batch, publicity_index):
    """A plain copy of a live batch is a draft that still has to pass the workflow."""
    client.force_login(editor)
    copy(client, live_batch, publicity_index)
    assert ApprovalOutcomePage.objects.get(slug="copy").live is False


def test_editor_cannot_alias_publicity(client, editor, live_batch, publicity_index):
    """An alias of a live batch (live at once) is refused."""
    client.force_login(editor)
    copy(client, live_batch, publicity_index, alias="on")
    assert not Page.objects.filter(alias_of=live_batch).exists()
    assert not ApprovalOutcomePage.objects.filter(slug="copy").exists()


def test_editor_cannot_copy_a_publicity_index_with_live_batches(
    client, editor, live_batch, publicity_index, home_page
):
    """Copying the whole publicity index would publish its batches' copies: refused."""
    client.force_login(editor)
    copy(client, publicity_index, home_page, copy_subpages="on", publish_copies="on")
    assert ApprovalIndexPage.objects.count() == 1
    assert ApprovalOutcomePage.objects.count() == 1


def test_editor_cannot_move_live_publicity_into_the_index(
    client, editor, publicity_index, home_page
):
    """Moving a live batch into the publicity index (from a second index) is refused."""
    other = ApprovalIndexPage(title="第二公示栏", slug="publicity-2")
    home_page.add_child(instance=other)
    batch = add_batch(other, "2026年第3批特困供养对象公示", live=True, slug="b3")
    client.force_login(editor)
    client.post(reverse("wagtailadmin_pages:move_confirm", args=[batch.pk, publicity_index.pk]))
    assert Page.objects.get(pk=batch.pk).get_parent().pk == other.pk


def test_editor_revert_with_publish_does_not_publish_the_old_revision(client, editor, live_batch):
    """Reverting a live batch to an earlier revision and pressing "publish" changes nothing live."""
    old = live_batch.latest_revision
    live_batch.title = "2026年第1批（已审核）"
    live_batch.save_revision().publish()
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:revisions_revert", args=[live_batch.pk, old.pk]),
        publicity_form(live_batch, title="编辑自拟的标题", **{"action-publish": "action-publish"}),
    )
    assert ApprovalOutcomePage.objects.get(pk=live_batch.pk).title == "2026年第1批（已审核）"


def test_editor_cannot_schedule_publicity(client, editor, draft_batch):
    """ "Publish" with a go-live time schedules nothing; the scheduler publishes nothing later."""
    client.force_login(editor)
    go_live = timezone.now() + dt.timedelta(minutes=5)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_batch.pk]),
        publicity_form(
            draft_batch,
            go_live_at=go_live.strftime("%Y-%m-%d %H:%M"),
            **{"action-publish": "action-publish"},
        ),
    )
    assert not draft_batch.revisions.filter(approved_go_live_at__isnull=False).exists()
    call_command("publish_scheduled", verbosity=0)
    assert not is_live(draft_batch)


def bulk(client, action, page):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    return client.post(f"{url}?id={page.pk}", {"include_descendants": ""})


def test_editor_bulk_publish_is_refused(client, editor, draft_batch):
    """The explorer's bulk "publish" leaves publicity unpublished."""
    client.force_login(editor)
    bulk(client, "publish", draft_batch)
    assert not is_live(draft_batch)


def test_editor_bulk_unpublish_is_refused(client, editor, live_batch):
    """The explorer's bulk "unpublish" leaves live publicity live."""
    client.force_login(editor)
    bulk(client, "unpublish", live_batch)
    assert is_live(live_batch)


def test_editor_cannot_unpublish_publicity(client, editor, live_batch):
    """Unpublishing a batch is refused (it ends when its period ends)."""
    client.force_login(editor)
    client.post(reverse("wagtailadmin_pages:unpublish", args=[live_batch.pk]))
    assert is_live(live_batch)


def test_reviewer_cannot_publish_without_the_centre_review(client, reviewer, draft_batch):
    """The subdistrict reviewer's own "publish" does not skip the service centre's review."""
    client.force_login(reviewer)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_batch.pk]),
        publicity_form(draft_batch, **{"action-publish": "action-publish"}),
    )
    assert not is_live(draft_batch)


def test_no_group_holds_publish_on_the_publicity_index(publicity_index):
    """After the migrations no group is granted "publish" on the publicity index itself."""
    grants = GroupPagePermission.objects.filter(
        page=publicity_index, permission__codename="publish_page"
    )
    assert not grants.exists()


def approve(client, user, page):
    page.refresh_from_db()
    task_state = page.current_workflow_state.current_task_state
    client.force_login(user)
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", task_state.pk])
    return client.post(url, {"comment": ""})


def test_submitter_cannot_approve_own_batch(client, centre, make_user, draft_batch):
    """A centre worker who submitted a batch cannot approve it; a colleague can."""
    Workflow.objects.get(name="公示审核").start(draft_batch, centre)
    approve(client, centre, draft_batch)
    draft_batch.refresh_from_db()
    assert draft_batch.current_workflow_task.name == "服务中心审核"
    approve(client, make_user("colleague", roles.SERVICE_CENTRE_STAFF), draft_batch)
    draft_batch.refresh_from_db()
    assert draft_batch.current_workflow_task.name == "街道审批"


def test_last_approval_publishes_without_a_publish_permission(
    client, editor, centre, reviewer, draft_batch
):
    """The subdistrict's approval publishes the batch though the reviewer holds no publish right."""
    assert not draft_batch.permissions_for_user(reviewer).can_publish()
    Workflow.objects.get(name="公示审核").start(draft_batch, editor)
    approve(client, centre, draft_batch)
    approve(client, reviewer, draft_batch)
    assert is_live(draft_batch)


def test_superuser_may_still_publish_directly(client, make_user, draft_batch):
    """A superuser can still publish a batch directly, e.g. to correct a mistake."""
    client.force_login(make_user("root", is_superuser=True))
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_batch.pk]),
        publicity_form(draft_batch, **{"action-publish": "action-publish"}),
    )
    assert is_live(draft_batch)


def test_last_approval_in_the_editor_publishes(client, editor, centre, reviewer, draft_batch):
    """Approving from the page editor (the reviewer's usual way) publishes the batch too."""
    Workflow.objects.get(name="公示审核").start(draft_batch, editor)
    approve(client, centre, draft_batch)
    client.force_login(reviewer)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft_batch.pk]),
        publicity_form(
            draft_batch,
            **{"action-workflow-action": "true", "workflow-action-name": "approve"},
        ),
    )
    assert is_live(draft_batch)


def test_last_approval_of_a_batch_that_fails_its_checks_sends_it_back(
    client, editor, centre, reviewer, draft_batch
):
    """A batch whose revision no longer passes the personal-data check is sent back to its
    author with the reason when the reviewer approves: no server error, nothing goes live."""
    Workflow.objects.get(name="公示审核").start(draft_batch, editor)
    approve(client, centre, draft_batch)
    revision = draft_batch.get_latest_revision()
    revision.content["introduction"] = "联系人身份证号11010519491231002X"
    revision.save(update_fields=["content"])

    response = approve(client, reviewer, draft_batch)

    assert response.status_code == 302
    assert not is_live(draft_batch)
    draft_batch.refresh_from_db()
    state = draft_batch.workflow_states.order_by("-pk").first()
    assert state.status == state.STATUS_NEEDS_CHANGES
    comment = state.current_task_state.comment
    assert "身份证号" in comment and "11010519491231002X" not in comment
