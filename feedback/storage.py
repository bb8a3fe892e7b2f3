"""Storage for residents' photos: outside MEDIA_ROOT and served by no URL.

Only the permission-checked view in feedback.views streams a photo to staff handling the case.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from portal.file_modes import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, make_private_dir


class PrivateStorage(FileSystemStorage):
    """A file system storage under PORTAL_PRIVATE_ROOT with no base URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(settings.PORTAL_PRIVATE_ROOT))
        kwargs.setdefault("base_url", None)
        # Readable by the portal's own system user only: files 600, directories 700.
        kwargs.setdefault("file_permissions_mode", PRIVATE_FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", PRIVATE_DIR_MODE)
        super().__init__(**kwargs)

    def save(self, name, content, max_length=None):
        # The root too (also one an older installation made): 700 shuts others out of all of it.
        make_private_dir(self.location)
        return super().save(name, content, max_length=max_length)

    def url(self, name):
        raise ValueError("private files have no public URL")


def private_storage():
    """The storage callable used by FileFields (keeps the path out of migrations)."""
    return PrivateStorage()
