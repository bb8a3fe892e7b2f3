"""Handing a private file to someone a view has already allowed to see it.

`serve` is the one way residents' photos leave the portal: the calling view checks permission
first. Without PORTAL_PRIVATE_ACCEL_PREFIX the portal streams the file itself, from disk or from
the private bucket (never a redirect to a bucket URL, presigned or not: the bucket's address
never reaches a browser). With it, a file on disk under PORTAL_PRIVATE_ROOT is handed to nginx:
the answer is empty but for `X-Accel-Redirect: <prefix><path>`, which nginx follows to its
`internal` location (deploy/nginx-portal.conf), so a browser cannot ask for that location itself.

`sendfile` is the same for Wagtail's document serve view (SENDFILE_BACKEND), after its
`before_serve_document` check.
"""

from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse


def _accel_path(path):
    """The X-Accel-Redirect target of the local file `path`, or None (no prefix set, or the
    file is not under PORTAL_PRIVATE_ROOT)."""
    prefix = getattr(settings, "PORTAL_PRIVATE_ACCEL_PREFIX", "")
    if not prefix or path is None:
        return None
    root = Path(settings.PORTAL_PRIVATE_ROOT).resolve()
    try:
        relative = Path(path).resolve().relative_to(root)
    except ValueError:
        return None
    return prefix + quote(relative.as_posix())


def _local_path(field_file):
    try:
        return field_file.storage.path(field_file.name)
    except NotImplementedError:  # an object store
        return None


def serve(field_file, content_type):
    """The answer carrying `field_file` (a stored FieldFile); FileNotFoundError when it is gone."""
    path = _local_path(field_file)
    target = _accel_path(path)
    if target is not None:
        if not Path(path).is_file():
            raise FileNotFoundError(path)
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = target
    else:
        response = FileResponse(field_file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def sendfile(request, filename, **kwargs):
    """Wagtail's sendfile backend: nginx serves a private file on disk, otherwise the portal
    streams it (Wagtail's own streaming backend)."""
    from wagtail.utils import sendfile_streaming_backend

    target = _accel_path(filename)
    if target is None:
        return sendfile_streaming_backend.sendfile(request, filename, **kwargs)
    response = HttpResponse(content_type=kwargs.get("mimetype") or "application/octet-stream")
    response["X-Accel-Redirect"] = target
    return response
