"""What happens when a workflow is approved (Wagtail's WAGTAIL_FINISH_WORKFLOW_ACTION).

Wagtail's default publishes as the last approver and so requires that approver to hold the
publish permission — which would let them publish without the earlier steps. Here the
workflow's approval is itself the authority: only members of the last task's groups can give
it, and only after the earlier tasks were approved. This module imports no models, because
Wagtail reads the setting while its own models load.
"""


def publish_approved(workflow_state, user=None):
    """Publish the approved revision on the workflow's authority."""
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
