"""Storage for residents' photos: outside MEDIA_ROOT and served by no URL.

Only the permission-checked view in feedback.views streams a photo to staff handling the case.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage under PORTAL_PRIVATE_ROOT with no base URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(settings.PORTAL_PRIVATE_ROOT))
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("private files have no public URL")


def private_storage():
    """The storage callable used by FileFields (keeps the path out of migrations)."""
    return PrivateStorage()
