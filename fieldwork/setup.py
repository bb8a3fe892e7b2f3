"""The fieldwork app's part of `manage.py setup_portal`: the permissions each role needs for
patrols, findings, visits, handover slips and lines. Which records an account sees is
fieldwork.visibility's rule; these say what it may do with them."""

from portal import roles
from portal.setup import grant_model_permissions

RECORDS = ["patrol", "patrolfinding", "visit", "handoverslip"]


def _perms(actions, models):
    return [f"fieldwork.{action}_{model}" for model in models for action in actions]


MODEL_PERMISSIONS = {
    # A grid worker logs patrols and visits and sends slips; lines they only choose from.
    roles.GRID_WORKERS: [
        *_perms(["add", "change", "view"], RECORDS),
        "fieldwork.view_line",
    ],
    # The service centre sees its community's records, records results, keeps the lines.
    roles.SERVICE_CENTRE_STAFF: [
        *_perms(["add", "change", "view"], RECORDS),
        *_perms(["add", "change", "view"], ["line"]),
    ],
    roles.ADMINISTRATORS: [
        *_perms(["add", "change", "delete", "view"], RECORDS),
        *_perms(["add", "change", "delete", "view"], ["line"]),
    ],
}


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
    for permissions_by_role in (MODEL_PERMISSIONS, REVIEW_PERMISSIONS):
        for role, permissions in permissions_by_role.items():
            grant_model_permissions(role, permissions)
