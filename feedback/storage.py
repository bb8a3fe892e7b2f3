"""Storage for residents' photos: Django's "private" storage, served by no URL.

On disk (PORTAL_PRIVATE_ROOT, outside MEDIA_ROOT) by default, in the private bucket with an
object store (portal.storage_config). Only the permission-checked views
(feedback.handling.views, the staff inbox) hand a photo to staff handling the case, through
portal.private_files.serve.
"""

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

from portal.storage import PrivateFileStorage


class PrivateStorage(PrivateFileStorage):
    """Residents' photos under PORTAL_PRIVATE_ROOT: no URL, files 600, directories 700."""


class _PrivatePhotoStorage(LazyObject):
    """STORAGES["private"], looked up when first used (as Django's default_storage is)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_photo_storage = _PrivatePhotoStorage()


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_photo_storage._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="feedback-private-storage")


def private_storage():
    """The storage callable used by FileFields (keeps the choice out of migrations)."""
    return private_photo_storage
