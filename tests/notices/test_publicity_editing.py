"""The publicity editor answers a race with a workflow action with a clear message, never a 500."""

import pytest
from django.db.models.signals import post_save
from django.urls import reverse
from wagtail.models import Revision, Workflow, WorkflowState

from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalOutcome
from portal import roles

from .forms import publicity_form

pytestmark = pytest.mark.django_db

CONFLICT = "这条公示刚刚在别处有了变化"


@pytest.fixture
def draft(publicity_index, editor):
    page = ApprovalOutcomePageFactory.build(title="2026年第6批临时救助对象公示", live=False)
    page.outcomes = [ApprovalOutcome(applicant="张小三", grid_name="第一网格")]
    publicity_index.add_child(instance=page)
    page.save_revision(user=editor)
    return page


@pytest.fixture
def other_window_submits(draft, make_user):
    """While this request saves its revision, another window's submission lands first."""
    centre = make_user("centre", roles.SERVICE_CENTRE_STAFF)
    landed = []

    def submit_elsewhere(sender, instance, created, **kwargs):
        if not landed:
            landed.append(Workflow.objects.get(name="公示审核").start(draft, centre))

    post_save.connect(submit_elsewhere, sender=Revision, dispatch_uid="other-window")
    yield landed
    post_save.disconnect(sender=Revision, dispatch_uid="other-window")


def in_progress(page):
    return WorkflowState.objects.active().filter(object_id=str(page.pk)).count()


def test_submit_racing_another_submission_gets_a_clear_message(
    client, editor, draft, other_window_submits
):
    """ "提交给公示审核" that loses the race is sent back with a message, not a 500."""
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, publicity_form(draft, **{"action-submit": "1"}))
    assert response.status_code == 409
    assert CONFLICT in response.content.decode()
    assert other_window_submits and in_progress(draft) == 1


def test_autosave_channel_gets_409_when_the_batch_changed_under_it(
    client, editor, draft, other_window_submits
):
    """A save sent as autosave sends (expecting JSON) gets 409 with the message, not a 500."""
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(
        url, publicity_form(draft, **{"action-submit": "1"}), HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 409
    assert response.json()["success"] is False
    assert CONFLICT in response.json()["error_message"]


def test_garbled_revision_id_gets_a_message_not_a_500(client, editor, draft):
    """A save with a revision id that is not a number answers 409 with the form as typed."""
    client.force_login(editor)
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    form = publicity_form(draft, introduction="编辑刚写的说明", overwrite_revision_id="12abc")
    response = client.post(url, form)
    html = response.content.decode()
    assert response.status_code == 409
    assert CONFLICT in html and "编辑刚写的说明" in html


def test_publicity_index_listing_still_opens(client, editor, draft, publicity_index):
    """The explorer lists the batches under the publicity index with the publicity viewset."""
    client.force_login(editor)
    response = client.get(reverse("wagtailadmin_explore", args=[publicity_index.pk]))
    assert response.status_code == 200
    assert draft.title in response.content.decode()
