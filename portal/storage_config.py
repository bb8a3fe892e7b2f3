"""Which STORAGES the environment asks for: local disk unless two buckets are named.

Read by portal.settings.base (a pure function of the environment, like portal.search.config).
With PORTAL_S3_BUCKET (public: image renditions) and PORTAL_S3_PRIVATE_BUCKET (private:
documents, original images, residents' photos), "default", "private" and "renditions" live in an
S3-compatible object store (`portal.object_store`, needs the `s3` extra); see docs/scaling.md.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

SEE = "(see docs/scaling.md, 'Files on an object store')"
# Renditions never change under their random names: browsers and CDNs may keep them 30 days.
PUBLIC_CACHE_CONTROL = "public, max-age=2592000"


def _value(environ, name):
    return (environ.get(name) or "").strip()


def object_store(environ):
    """(STORAGES entries, the public files' origin for img-src) from the environment; ({}, None)
    when no bucket is named."""
    public = _value(environ, "PORTAL_S3_BUCKET")
    private = _value(environ, "PORTAL_S3_PRIVATE_BUCKET")
    if not public and not private:
        return {}, None
    if not public or not private:
        raise ImproperlyConfigured(
            "PORTAL_S3_BUCKET (public image renditions) and PORTAL_S3_PRIVATE_BUCKET (documents, "
            f"original images and residents' photos) must be set together {SEE}."
        )
    if public == private:
        raise ImproperlyConfigured(
            "PORTAL_S3_PRIVATE_BUCKET must differ from PORTAL_S3_BUCKET: the public bucket is "
            f"readable by anyone, residents' photos must not be {SEE}."
        )
    common = {}
    endpoint = _value(environ, "AWS_S3_ENDPOINT_URL")
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                f"AWS_S3_ENDPOINT_URL must be an http(s) address, not {endpoint!r} {SEE}."
            )
        common["endpoint_url"] = endpoint
        # Most S3-compatible servers (MinIO, Ceph, the tests' moto) address buckets by path.
        common["addressing_style"] = _value(environ, "AWS_S3_ADDRESSING_STYLE") or "path"
    elif _value(environ, "AWS_S3_ADDRESSING_STYLE"):
        common["addressing_style"] = _value(environ, "AWS_S3_ADDRESSING_STYLE")
    if _value(environ, "AWS_S3_REGION_NAME"):
        common["region_name"] = _value(environ, "AWS_S3_REGION_NAME")
    public_options = {
        **common,
        "bucket_name": public,
        "querystring_auth": False,  # plain addresses: the bucket's policy lets anyone read
        "object_parameters": {"CacheControl": PUBLIC_CACHE_CONTROL},
    }
    origin = None
    public_url = _value(environ, "PORTAL_S3_PUBLIC_URL")
    if public_url:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ImproperlyConfigured(
                f"PORTAL_S3_PUBLIC_URL must be an http(s) address, not {public_url!r} {SEE}."
            )
        public_options["custom_domain"] = parts.netloc + parts.path.rstrip("/")
        public_options["url_protocol"] = parts.scheme + ":"
        origin = f"{parts.scheme}://{parts.netloc}"
    elif endpoint:
        parts = urlsplit(endpoint)
        host = parts.netloc
        if common["addressing_style"] == "virtual":  # the bucket is part of the host name
            host = f"{public}.{host}"
        origin = f"{parts.scheme}://{host}"
    else:
        origin = "https://*.amazonaws.com"
    storages = {
        "default": {
            "BACKEND": "portal.object_store.PrivateObjectStorage",
            "OPTIONS": {**common, "bucket_name": private, "location": "uploads"},
        },
        "private": {
            "BACKEND": "portal.object_store.PrivateObjectStorage",
            "OPTIONS": {**common, "bucket_name": private},
        },
        "renditions": {
            "BACKEND": "portal.object_store.PublicObjectStorage",
            "OPTIONS": public_options,
        },
    }
    return storages, origin
