"""Who may publish publicity, and who may approve it.

Publicity (the publicity index and its batches) goes live only when the last task of the
"公示审核" workflow is approved: no role holds the publish permission there, whatever it holds
on the rest of the site. The rule lives in the page permission tester, which every admin path
consults (edit, create, copy, alias, move, revert, scheduling, bulk actions, unpublish, the
admin API); the workflow's final approval publishes on its own authority
(`notices.publishing.publish_approved`). Superusers may still publish directly, e.g. to correct
a mistake. Within the workflow the person who submitted a batch cannot approve it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import GroupApprovalTask, PagePermissionTester


def may_publish_publicity_directly(user):
    """Only superusers may bypass the "公示审核" workflow."""
    return user.is_active and user.is_superuser


class PublicityPermissionTester(PagePermissionTester):
    """A page permission tester that withholds "publish" in the publicity tree.

    Wagtail derives publishing, unpublishing, publishing a new subpage, making an alias,
    moving or deleting a live page, reordering, scheduling and view restrictions from that one
    permission, so withholding it closes each of those paths at once.
    """

    def __init__(self, user, page):
        super().__init__(user, page)
        if not may_publish_publicity_directly(user) and hasattr(self, "permissions"):
            self.permissions = self.permissions - {"publish"}


class PublicityIndexPermissionTester(PublicityPermissionTester):
    """Copying a whole publicity index could publish its batches' copies under a new index."""

    def can_copy(self):
        if not may_publish_publicity_directly(self.user) and (
            self.page.get_descendants().live().exists()
        ):
            return False
        return super().can_copy()


class PublicityReviewTask(GroupApprovalTask):
    """A group's review step in which the batch's submitter cannot approve (four eyes).

    The submitter is whoever started the workflow or wrote the revision under review (a
    resubmission after "request changes" saves the resubmitter's revision).
    """

    class Meta:
        verbose_name = _("公示审核步骤")
        verbose_name_plural = _("公示审核步骤")

    @staticmethod
    def submitted(obj, user):
        state = obj.current_workflow_state
        if state is None:
            return False
        if state.requested_by_id == user.pk:
            return True
        task_state = state.current_task_state
        return bool(task_state and task_state.revision and task_state.revision.user_id == user.pk)

    def get_actions(self, obj, user):
        if not user.is_superuser and self.submitted(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        """An approval of a batch that no longer passes its checks (the personal-data check, the
        publicity period) sends it back to its author with the reasons, instead of failing
        while it is published."""
        if action_name == "approve":
            reasons = self.validation_errors(task_state.revision.as_object())
            if reasons:
                comment = gettext("未能通过：%(reasons)s 请修改后重新提交。") % {
                    "reasons": "；".join(reasons)
                }
                return super().on_action(task_state, user, "reject", comment=comment[:1000])
        return super().on_action(task_state, user, action_name, **kwargs)

    @staticmethod
    def validation_errors(page):
        """The messages of the checks that publishing would run on `page` (none: it passes)."""
        try:
            page.full_clean()
        except ValidationError as error:
            return [str(message) for message in error.messages]
        return []

    def get_task_states_user_can_moderate(self, user, **kwargs):
        task_states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return task_states
        return task_states.exclude(workflow_state__requested_by=user).exclude(revision__user=user)

    @classmethod
    def get_description(cls):
        return _("所选用户组的成员可以批准这一步，但不能批准自己提交的公示")
