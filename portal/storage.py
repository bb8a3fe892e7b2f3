"""Where uploaded files live: nothing an editor uploads is under the media URL space.

Django's STORAGES names them (portal.settings.base); on local disk by default:

- "default", `UploadStorage`: documents and original images, under PORTAL_PRIVATE_ROOT/uploads.
  No web server or URL route serves this directory; a document reaches a visitor only through
  Wagtail's document serve view, which asks `portal.files` whether a live page uses it (see
  docs/privacy-files.md).
- "private", `PrivateFileStorage`: residents' photos, under PORTAL_PRIVATE_ROOT, served only by
  the permission-checked views (`portal.private_files.serve`).
- "renditions", `RenditionStorage` (WAGTAILIMAGES_RENDITION_STORAGE): the resized images that
  pages show, plain files under MEDIA_ROOT served fast, each in a directory with a random name,
  so that a rendition's address cannot be derived from the image's id or file name.

With PORTAL_S3_BUCKET and PORTAL_S3_PRIVATE_BUCKET the same three live in an S3-compatible
object store instead (`portal.object_store`, docs/scaling.md).
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

from .file_modes import (
    PRIVATE_DIR_MODE,
    PRIVATE_FILE_MODE,
    SHARED_DIR_MODE,
    SHARED_FILE_MODE,
    make_private_dir,
)


def private_modes():
    """(file mode, directory mode) of private files: the portal's user only (600, 700); when
    nginx serves them after the portal's check (PORTAL_PRIVATE_ACCEL_PREFIX), its group may
    read them too (640, 750; docs/deployment.md)."""
    if getattr(settings, "PORTAL_PRIVATE_ACCEL_PREFIX", ""):
        return SHARED_FILE_MODE, SHARED_DIR_MODE
    return PRIVATE_FILE_MODE, PRIVATE_DIR_MODE


class PrivateFileStorage(FileSystemStorage):
    """Files under PORTAL_PRIVATE_ROOT: no URL, readable by the portal's own system user only
    (files 600, directories 700; see `private_modes`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(settings.PORTAL_PRIVATE_ROOT))
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    # The modes follow the settings at each save (unless given when the storage was made).
    @property
    def file_permissions_mode(self):
        return self._file_permissions_mode or private_modes()[0]

    @property
    def directory_permissions_mode(self):
        return self._directory_permissions_mode or private_modes()[1]

    def save(self, name, content, max_length=None):
        # The root too (also one an older installation made): 700 shuts others out of all of it.
        make_private_dir(settings.PORTAL_PRIVATE_ROOT, self.directory_permissions_mode)
        make_private_dir(self.location, self.directory_permissions_mode)
        return super().save(name, content, max_length=max_length)

    def url(self, name):
        # NotImplementedError is how a storage says "no URL" (Django's base Storage, Wagtail's
        # document serve view).
        raise NotImplementedError("private files have no URL")


class UploadStorage(PrivateFileStorage):
    """Uploaded originals, outside MEDIA_ROOT and without a URL (documents use their serve
    view)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(Path(settings.PORTAL_PRIVATE_ROOT) / "uploads"))
        super().__init__(**kwargs)


class RandomDirectoryMixin:
    """Each file under a directory with a random name (its address cannot be guessed)."""

    def generate_filename(self, filename):
        directory, name = os.path.split(filename)
        return super().generate_filename(os.path.join(directory, secrets.token_hex(8), name))


class RenditionStorage(RandomDirectoryMixin, FileSystemStorage):
    """Image renditions under MEDIA_ROOT, each under an unguessable directory name."""


class NamedStorage(LazyObject):
    """STORAGES[alias], looked up when first used and again after STORAGES changes (as Django's
    default_storage is): what a model field's storage callable returns, so that the field
    follows the settings rather than the storage of the moment the model was imported."""

    _all = []

    def __init__(self, alias):
        super().__init__()
        self.__dict__["_alias"] = alias
        NamedStorage._all.append(self)

    def _setup(self):
        self._wrapped = storages[self.__dict__["_alias"]]


def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        for storage in NamedStorage._all:
            storage._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="portal-named-storages")

_renditions = NamedStorage("renditions")


def rendition_storage():
    """WAGTAILIMAGES_RENDITION_STORAGE: the "renditions" storage."""
    return _renditions
