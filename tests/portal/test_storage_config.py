"""Which storages the environment selects (portal.storage_config): local disk unless both
buckets are named; a half or unsafe object-store configuration stops the start."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.storage_config import object_store

BOTH = {"PORTAL_S3_BUCKET": "portal-public", "PORTAL_S3_PRIVATE_BUCKET": "portal-private"}


def test_local_disk_without_buckets():
    """No bucket named: no storage is replaced and img-src gains nothing."""
    assert object_store({}) == ({}, None)


def test_both_buckets_put_every_uploaded_file_in_the_object_store():
    """Uploads and photos go to the private bucket, renditions to the public one."""
    storages, _origin = object_store(BOTH)
    assert storages["default"]["OPTIONS"]["bucket_name"] == "portal-private"
    assert storages["default"]["OPTIONS"]["location"] == "uploads"
    assert storages["private"]["OPTIONS"]["bucket_name"] == "portal-private"
    assert storages["renditions"]["OPTIONS"]["bucket_name"] == "portal-public"
    assert storages["private"]["BACKEND"] == "portal.object_store.PrivateObjectStorage"


@pytest.mark.parametrize("name", ["PORTAL_S3_BUCKET", "PORTAL_S3_PRIVATE_BUCKET"])
def test_one_bucket_alone_is_refused(name):
    """Naming only one bucket stops the start with a sentence naming both variables."""
    with pytest.raises(ImproperlyConfigured, match="must be set together"):
        object_store({name: "portal-files"})


def test_one_bucket_for_both_is_refused():
    """Residents' photos may not share the publicly readable bucket."""
    with pytest.raises(ImproperlyConfigured, match="must differ"):
        object_store({"PORTAL_S3_BUCKET": "files", "PORTAL_S3_PRIVATE_BUCKET": "files"})


def test_an_endpoint_addresses_buckets_by_path_and_gives_the_image_origin():
    """An S3-compatible server's address is used by path, and pages may show images from it."""
    storages, origin = object_store({**BOTH, "AWS_S3_ENDPOINT_URL": "http://10.0.0.7:9000"})
    assert storages["renditions"]["OPTIONS"]["endpoint_url"] == "http://10.0.0.7:9000"
    assert storages["private"]["OPTIONS"]["addressing_style"] == "path"
    assert origin == "http://10.0.0.7:9000"


def test_virtual_addressing_names_the_bucket_in_the_image_origin():
    """Stores that address buckets by host name (OSS, COS) show images from the bucket's host."""
    storages, origin = object_store(
        {
            **BOTH,
            "AWS_S3_ENDPOINT_URL": "https://oss-cn-beijing.aliyuncs.com",
            "AWS_S3_ADDRESSING_STYLE": "virtual",
        }
    )
    assert storages["renditions"]["OPTIONS"]["addressing_style"] == "virtual"
    assert origin == "https://portal-public.oss-cn-beijing.aliyuncs.com"


def test_a_public_address_serves_renditions_from_it():
    """PORTAL_S3_PUBLIC_URL (a CDN or the bucket's own domain) is where renditions are linked."""
    storages, origin = object_store({**BOTH, "PORTAL_S3_PUBLIC_URL": "https://img.example.gov.cn"})
    assert storages["renditions"]["OPTIONS"]["custom_domain"] == "img.example.gov.cn"
    assert "custom_domain" not in storages["private"]["OPTIONS"]
    assert origin == "https://img.example.gov.cn"


def test_an_endpoint_that_is_not_http_is_refused():
    """A mistyped endpoint stops the start instead of failing at the first upload."""
    with pytest.raises(ImproperlyConfigured, match="AWS_S3_ENDPOINT_URL"):
        object_store({**BOTH, "AWS_S3_ENDPOINT_URL": "minio:9000"})


def test_private_storage_has_no_url():
    """The private bucket's storage gives no address, presigned or not."""
    pytest.importorskip("storages", reason="the s3 extra is not installed")
    from portal.object_store import PrivateObjectStorage

    storage = PrivateObjectStorage(bucket_name="portal-private", endpoint_url="http://127.0.0.1:9")
    with pytest.raises(NotImplementedError):
        storage.url("feedback/2026/11/photo.jpg")


def test_pages_may_show_images_from_the_public_bucket():
    """With buckets on a server of their own, both policies' img-src name that server."""
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        **BOTH,
        "AWS_S3_ENDPOINT_URL": "http://10.0.0.7:9000",
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src'], "
        "s.PORTAL_ADMIN_CSP_DIRECTIVES['img-src'], s.STORAGES['private']['BACKEND']]))"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    public, admin, private = json.loads(out)
    assert "http://10.0.0.7:9000" in public and "http://10.0.0.7:9000" in admin
    assert private == "portal.object_store.PrivateObjectStorage"
