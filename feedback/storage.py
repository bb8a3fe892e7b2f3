"""Storage for residents' photos: outside MEDIA_ROOT and served by no URL.

Only the permission-checked views (feedback.handling.views, the staff inbox) stream a photo
to staff handling the case.
"""

from portal.storage import PrivateFileStorage


class PrivateStorage(PrivateFileStorage):
    """Residents' photos under PORTAL_PRIVATE_ROOT: no URL, files 600, directories 700."""


def private_storage():
    """The storage callable used by FileFields (keeps the path out of migrations)."""
    return PrivateStorage()
