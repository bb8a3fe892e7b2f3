"""Who may see a case's private parts (contact details, photos): the staff handling it.

Until the case-handling inbox (issue 6) refines it by community: administrators, service-centre
staff, and the grid workers (primary or backup) of the case's grid.
"""

from grids.models import grids_for_user
from portal import roles


def can_handle(user, case):
    """True when `user` handles `case` and may see its contact details and photos."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_perm("feedback.view_contact_details"):
        return False
    names = set(user.groups.values_list("name", flat=True))
    if names & {roles.ADMINISTRATORS, roles.SERVICE_CENTRE_STAFF}:
        return True
    return case.grid_id is not None and grids_for_user(user).filter(pk=case.grid_id).exists()
