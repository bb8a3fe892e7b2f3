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


class UploadStorage(FileSystemStorage):
    """Uploaded originals, outside MEDIA_ROOT and without a URL."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", str(Path(settings.PORTAL_PRIVATE_ROOT) / "uploads"))
        kwargs.setdefault("base_url", None)
        super().__init__(**kwargs)

    def url(self, name):
        # NotImplementedError is how a storage says "no URL" (Django's base Storage, Wagtail's
        # document serve view).
        raise NotImplementedError("uploaded files have no URL; documents use their serve view")


class RenditionStorage(FileSystemStorage):
    """Image renditions under MEDIA_ROOT, each under an unguessable directory name."""

    def generate_filename(self, filename):
        directory, name = os.path.split(filename)
        return super().generate_filename(os.path.join(directory, secrets.token_hex(8), name))
