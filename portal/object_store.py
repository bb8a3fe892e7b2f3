"""The portal's storages on an S3-compatible object store (django-storages, the `s3` extra).

Chosen by portal.storage_config when PORTAL_S3_BUCKET and PORTAL_S3_PRIVATE_BUCKET are set:

- `PrivateObjectStorage` ("default" under uploads/, "private"): the private bucket. Objects are
  written without an ACL, so only the portal's credentials read them; `url()` raises
  NotImplementedError as on disk, so no page, e-mail or redirect can point into this bucket.
  The permission-checked views stream them (`portal.private_files.serve`).
- `PublicObjectStorage` ("renditions"): the public bucket, whose policy lets anyone read;
  plain addresses under random directory names, as under MEDIA_ROOT.
"""

from storages.backends.s3 import S3Storage

from .storage import RandomDirectoryMixin


class PrivateObjectStorage(S3Storage):
    """A private bucket: no public ACL, no URL, never overwrites."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_acl", None)
        kwargs.setdefault("file_overwrite", False)
        kwargs.setdefault("querystring_auth", True)
        super().__init__(**kwargs)

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("private files have no URL")


class PublicObjectStorage(RandomDirectoryMixin, S3Storage):
    """The public bucket: image renditions under unguessable directory names."""

    def __init__(self, **kwargs):
        kwargs.setdefault("default_acl", None)
        kwargs.setdefault("file_overwrite", False)
        kwargs.setdefault("querystring_auth", False)
        super().__init__(**kwargs)
