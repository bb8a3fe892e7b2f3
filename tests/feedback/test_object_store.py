"""Files in an S3-compatible object store (moto's server on loopback), as PORTAL_S3_BUCKET and
PORTAL_S3_PRIVATE_BUCKET set it up: residents' photos, documents and original images in the
private bucket, reached only through the portal's checked views; renditions in the public one."""

import json
import logging
import re
import urllib.error
import urllib.request
import uuid

import pytest
import wagtail_factories
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Feedback, FeedbackPhoto
from grids.factories import GridWorkerFactory
from portal import roles
from portal.storage_config import object_store
from tests.servers import free_port

from .conftest import make_image

boto3 = pytest.importorskip("boto3", reason="the s3 extra (django-storages[s3]) is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

pytestmark = pytest.mark.django_db

REGION = "us-east-1"


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3-compatible server on a free loopback port while the module runs."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def buckets(s3_endpoint, settings, monkeypatch, tmp_path):
    """Two new buckets, made as docs/scaling.md says (the public one readable by anyone), and
    the portal's STORAGES pointed at them: (S3 client, public bucket, private bucket)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "portal-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "portal-test-secret")
    public, private = (
        f"portal-public-{uuid.uuid4().hex[:8]}",
        f"portal-private-{uuid.uuid4().hex[:8]}",
    )
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    for name in (public, private):
        client.create_bucket(Bucket=name)
    client.put_bucket_policy(
        Bucket=public,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{public}/*",
                    }
                ],
            }
        ),
    )
    entries, _origin = object_store(
        {
            "PORTAL_S3_BUCKET": public,
            "PORTAL_S3_PRIVATE_BUCKET": private,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": REGION,
        }
    )
    settings.STORAGES = {**settings.STORAGES, **entries}
    settings.PORTAL_PRIVATE_ROOT = tmp_path / "private"  # empty: nothing should land here
    return client, public, private


def keys(client, bucket, prefix=""):
    listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]


def anonymous_get(url):
    """(status, body) of a GET without credentials, as a browser would send it."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture
def case_with_photo(client, form_data, buckets):
    photo = SimpleUploadedFile("p.jpg", make_image(), "image/jpeg")
    assert client.post("/feedback/", {**form_data(), "photos": [photo]}).status_code == 302
    client.logout()
    return Feedback.objects.get()


@pytest.fixture
def own_worker(make_user, workers):
    user = make_user("zhangmin", roles.GRID_WORKERS)
    primary, _backup = workers
    primary.user = user
    primary.save()
    return user


def test_resident_photo_is_written_to_the_private_bucket(case_with_photo, buckets, settings):
    """The photo is an object in the private bucket, and nothing is written to local disk."""
    client, public, private = buckets
    photo = FeedbackPhoto.objects.get()
    assert keys(client, private) == [photo.file.name]
    assert photo.file.name.startswith("feedback/")
    assert keys(client, public) == []
    assert not settings.PORTAL_PRIVATE_ROOT.exists()


def test_private_photo_is_not_readable_anonymously(case_with_photo, buckets, s3_endpoint):
    """Asked for without credentials, the bucket refuses the photo; the portal gives it no URL."""
    _client, _public, private = buckets
    photo = FeedbackPhoto.objects.get()
    status, _body = anonymous_get(f"{s3_endpoint}/{private}/{photo.file.name}")
    assert status == 403
    with pytest.raises(NotImplementedError):
        photo.file.url  # noqa: B018


def test_handler_is_served_the_photo_from_the_bucket(
    client, case_with_photo, own_worker, s3_endpoint
):
    """The case's handler gets the photo through the staff view; the case page never points
    into the bucket."""
    client.force_login(own_worker)
    photo = FeedbackPhoto.objects.get()
    response = client.get(f"/admin/feedback/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    inbox = client.get(f"/admin/cases/{case_with_photo.pk}/photos/{photo.pk}/")
    assert inbox.status_code == 200
    assert b"".join(inbox.streaming_content)[:2] == b"\xff\xd8"
    page = client.get(f"/admin/cases/{case_with_photo.pk}/").content.decode()
    assert s3_endpoint not in page and "127.0.0.1:" not in page


def test_others_are_refused_the_photo(client, case_with_photo, make_user, east_grid):
    """A worker of another grid and an anonymous visitor do not get the photo."""
    photo = FeedbackPhoto.objects.get()
    anonymous = client.get(f"/admin/feedback/photos/{photo.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    user = make_user("other", roles.GRID_WORKERS)
    east_grid.primary_worker = GridWorkerFactory(name="赵六", user=user)
    east_grid.save()
    client.force_login(user)
    assert client.get(f"/admin/feedback/photos/{photo.pk}/").status_code == 404
    assert client.get(f"/admin/cases/{case_with_photo.pk}/photos/{photo.pk}/").status_code == 404


def test_worker_photo_is_shown_from_the_public_bucket(client, grid, workers, buckets, s3_endpoint):
    """A grid page shows the worker's photo as a rendition in the public bucket, which anyone
    may fetch; the original stays in the private bucket, unreadable without credentials."""
    client_s3, public, private = buckets
    primary = workers[0]
    primary.photo = wagtail_factories.ImageFactory(title="工作照")
    primary.save()
    html = client.get(grid.url).content.decode()
    found = re.findall(
        rf'src="({re.escape(s3_endpoint)}/{public}/images/[0-9a-f]{{16}}/[^"]+)"', html
    )
    assert found
    status, body = anonymous_get(found[0])
    assert status == 200 and body[:2] == b"\xff\xd8"
    original = primary.photo.file.name
    assert f"uploads/{original}" in keys(client_s3, private)
    assert anonymous_get(f"{s3_endpoint}/{private}/uploads/{original}")[0] == 403


def test_health_check_probes_both_buckets(client, buckets):
    """/healthz/ writes and reads back a probe in each store, and leaves nothing behind."""
    client_s3, public, private = buckets
    response = client.get("/healthz/")
    assert response.json()["checks"]["media"] == "ok"
    assert keys(client_s3, public) == [] and keys(client_s3, private) == []


def test_document_in_the_private_bucket_reaches_only_permitted_staff(
    client, buckets, administrator, s3_endpoint
):
    """A document no page uses is streamed from the private bucket to staff allowed to see it
    and is a 404 for visitors; its object is not readable anonymously."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    client_s3, _public, private = buckets
    document = get_document_model()(title="名单")
    document.file.save("list.txt", ContentFile("明日停水。".encode()), save=True)
    assert keys(client_s3, private, "uploads/") == [f"uploads/{document.file.name}"]
    assert client.get(document.url).status_code == 404
    client.force_login(administrator)
    response = client.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == "明日停水。".encode()
    assert anonymous_get(f"{s3_endpoint}/{private}/uploads/{document.file.name}")[0] == 403
