"""Who may see a case's private parts (contact details, photos): the staff handling it.

One rule for the whole app: feedback.handling.visibility (a grid worker sees the cases of the grids
where they are primary or backup, service-centre staff their community, administrators all).
"""

from .visibility import can_see


def can_handle(user, case):
    """True when `user` handles `case` and may see its contact details and photos."""
    return can_see(user, case)
