"""The grids app's part of `manage.py setup_portal`: the permissions each role needs for grid
workers and grid levels."""

from portal import roles
from portal.setup import grant_model_permissions

MODEL_PERMISSIONS = {
    roles.EDITORS: ["grids.add_gridworker", "grids.change_gridworker"],
    roles.SERVICE_CENTRE_STAFF: ["grids.change_gridworker"],
    roles.ADMINISTRATORS: [
        "grids.add_gridworker",
        "grids.change_gridworker",
        "grids.delete_gridworker",
        "grids.add_gridlevel",
        "grids.change_gridlevel",
        "grids.delete_gridlevel",
    ],
}


def run(stdout=None):
    for role, permissions in MODEL_PERMISSIONS.items():
        grant_model_permissions(role, permissions)
