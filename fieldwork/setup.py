"""The fieldwork app's part of `manage.py setup_portal`: the permissions each role needs."""

from portal import roles
from portal.setup import grant_model_permissions


def _crud(model, actions=("add", "change", "delete", "view")):
    return [f"fieldwork.{action}_{model}" for action in actions]


# The weekly meeting, assessment and two-way reviews: the service centre runs them for its
# community (fieldwork/admin_access.py narrows each record to its community); grid workers read
# the agenda and the meetings' decisions.
REVIEW_PERMISSIONS = {
    roles.GRID_WORKERS: ["fieldwork.view_weeklymeeting"],
    roles.SERVICE_CENTRE_STAFF: [
        *_crud("weeklymeeting"),
        *_crud("reviewcampaign"),
        *_crud("review"),
        *_crud("assessmentweights", ("add", "change", "view")),
        *_crud("assessment", ("add", "change", "view")),
    ],
    roles.ADMINISTRATORS: [
        *_crud("weeklymeeting"),
        *_crud("reviewcampaign"),
        *_crud("review"),
        *_crud("assessmentweights"),
        *_crud("assessment"),
    ],
}


def run(stdout=None):
    for role, permissions in REVIEW_PERMISSIONS.items():
        grant_model_permissions(role, permissions)
