"""Storage for residents' photos: Django's "private" storage, served by no URL.

On disk (PORTAL_PRIVATE_ROOT, outside MEDIA_ROOT) by default, in the private bucket with an
object store (portal.storage_config). Only the permission-checked views
(feedback.handling.views, the staff inbox) hand a photo to staff handling the case, through
portal.private_files.serve.
"""

from portal.storage import NamedStorage, PrivateFileStorage


class PrivateStorage(PrivateFileStorage):
    """Residents' photos under PORTAL_PRIVATE_ROOT: no URL, files 600, directories 700."""


_private = NamedStorage("private")


def private_storage():
    """The storage callable used by FileFields (keeps the choice out of migrations): the
    "private" entry of STORAGES."""
    return _private
