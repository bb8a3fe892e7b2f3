"""Storage for patrol photos: outside MEDIA_ROOT and served by no URL.

Only the permission-checked photo view (fieldwork.views) streams a photo, to staff who may see
the patrol (fieldwork.visibility).
"""

from portal.storage import PrivateFileStorage


class PatrolPhotoStorage(PrivateFileStorage):
    """Patrol photos under PORTAL_PRIVATE_ROOT: no URL, files 600, directories 700."""


def private_storage():
    """The storage callable used by FileFields (keeps the path out of migrations)."""
    return PatrolPhotoStorage()
