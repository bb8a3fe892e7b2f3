"""The feedback app's part of `manage.py setup_portal`: the permissions each role needs for
cases, categories, routing rules, reply templates and the service centre."""

from portal import roles
from portal.setup import grant_model_permissions

MODEL_PERMISSIONS = {
    roles.GRID_WORKERS: [
        "feedback.view_feedback",
        "feedback.change_feedback",
        "feedback.view_contact_details",
    ],
    roles.SERVICE_CENTRE_STAFF: [
        "feedback.view_feedback",
        "feedback.change_feedback",
        "feedback.view_contact_details",
        "feedback.add_feedbackcategory",
        "feedback.change_feedbackcategory",
        "feedback.add_routingrule",
        "feedback.change_routingrule",
        "feedback.change_servicecentre",
        "feedback.add_replytemplate",
        "feedback.change_replytemplate",
        "feedback.delete_replytemplate",
        "feedback.view_centremembership",
    ],
    roles.ADMINISTRATORS: [
        "feedback.view_feedback",
        "feedback.change_feedback",
        "feedback.view_contact_details",
        "feedback.add_feedbackcategory",
        "feedback.change_feedbackcategory",
        "feedback.delete_feedbackcategory",
        "feedback.add_routingrule",
        "feedback.change_routingrule",
        "feedback.delete_routingrule",
        "feedback.add_servicecentre",
        "feedback.change_servicecentre",
        "feedback.delete_servicecentre",
        "feedback.add_replytemplate",
        "feedback.change_replytemplate",
        "feedback.delete_replytemplate",
        "feedback.add_centremembership",
        "feedback.change_centremembership",
        "feedback.delete_centremembership",
        "feedback.view_centremembership",
        # Keys of the Open311 interface: only administrators issue and revoke them.
        "feedback.add_open311key",
        "feedback.change_open311key",
        "feedback.delete_open311key",
        "feedback.view_open311key",
    ],
}


def run(stdout=None):
    for role, permissions in MODEL_PERMISSIONS.items():
        grant_model_permissions(role, permissions)
