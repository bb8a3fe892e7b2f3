"""Where uploaded files live: nothing an editor uploads is under the media URL space.

- `UploadStorage` (the default storage): documents and original images, under
  PORTAL_PRIVATE_ROOT/uploads. No web server or URL route serves this directory; a document
  reaches a visitor only through Wagtail's document serve view, which asks `portal.files`
  whether a live page uses it (see docs/privacy-files.md).
- `RenditionStorage` (WAGTAILIMAGES_RENDITION_STORAGE): the resized images that pages show,
  plain files under MEDIA_ROOT served fast, each in a directory with a random name, so that a
  rendition's address cannot be derived from the image's id or file name.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

from .file_modes import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, make_private_dir


class PrivateFileStorage(FileSystemStorage):
    """Files under PORTAL_PRIVATE_ROOT: no URL, readable by the portal's own system user only
    (files 600, directories 700)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(settings.PORTAL_PRIVATE_ROOT))
        kwargs.setdefault("base_url", None)
        kwargs.setdefault("file_permissions_mode", PRIVATE_FILE_MODE)
        kwargs.setdefault("directory_permissions_mode", PRIVATE_DIR_MODE)
        super().__init__(**kwargs)

    def save(self, name, content, max_length=None):
        # The root too (also one an older installation made): 700 shuts others out of all of it.
        make_private_dir(settings.PORTAL_PRIVATE_ROOT)
        make_private_dir(self.location)
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


class RenditionStorage(FileSystemStorage):
    """Image renditions under MEDIA_ROOT, each under an unguessable directory name."""

    def generate_filename(self, filename):
        directory, name = os.path.split(filename)
        return super().generate_filename(os.path.join(directory, secrets.token_hex(8), name))
