"""The roles' permissions for the grid worker's day, as `setup_portal` grants them."""

import pytest
from django.contrib.auth.models import Group

from portal import roles

pytestmark = pytest.mark.django_db


def _codenames(role):
    group = Group.objects.get(name=role)
    return set(
        group.permissions.filter(content_type__app_label="fieldwork").values_list(
            "codename", flat=True
        )
    )


def test_grid_workers_log_patrols_and_visits_and_send_slips():
    """A grid worker may add patrols, findings, visits and slips, and only view the lines."""
    codenames = _codenames(roles.GRID_WORKERS)
    assert {"add_patrol", "add_patrolfinding", "add_visit", "add_handoverslip"} <= codenames
    assert "view_line" in codenames
    assert "change_line" not in codenames


def test_the_service_centre_keeps_the_lines():
    """Service-centre staff add and change lines; deleting records is the administrators'."""
    codenames = _codenames(roles.SERVICE_CENTRE_STAFF)
    assert {"add_line", "change_line", "change_handoverslip"} <= codenames
    assert "delete_patrol" not in codenames
    assert "delete_patrol" in _codenames(roles.ADMINISTRATORS)
