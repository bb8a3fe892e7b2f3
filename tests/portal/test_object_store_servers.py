"""Two web servers with no file volume in common, sharing files through an S3-compatible object
store (moto's server on loopback) as docs/scaling.md sets it up: a photo stored through server A
is served by server B to staff, and an image's rendition made by B is read from the public
bucket. Production settings, gunicorn, one SQLite database; marked `servers`."""

import io
import json
import logging
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from PIL import Image

from tests import servers

boto3 = pytest.importorskip("boto3", reason="the s3 extra (django-storages[s3]) is not installed")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

pytestmark = pytest.mark.servers

SETUP = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
import io
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from feedback.factories import FeedbackFactory
from feedback.models import FeedbackPhoto

User = get_user_model()
admin = User.objects.create_superuser("admin", "admin@example.org", "unused-password-1")
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(admin.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = admin.get_session_auth_hash()
store.create()
with transaction.atomic():
    case = FeedbackFactory()
photo = FeedbackPhoto(case=case, content_type="image/jpeg", size=len(PHOTO))
photo.file.save("p.jpg", ContentFile(PHOTO), save=True)
image = get_image_model()(title="工作照", file=ImageFile(io.BytesIO(PHOTO), name="worker.jpg"))
image.save()
print(photo.pk, photo.file.name, image.pk, store.session_key)
"""

RENDITION = """
from wagtail.images import get_image_model
print(get_image_model().objects.get(pk=IMAGE).get_rendition("fill-40x30").url)
"""


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 30)).save(out, "JPEG")
    return out.getvalue()


PHOTO = _jpeg()


def _anonymous_get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@pytest.fixture(scope="module")
def site():
    """Servers A and B, each with a directory of its own, and the buckets they share."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto logs every request otherwise
    s3_port = servers.free_port()
    s3 = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    s3.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    public, private = (
        f"multi-public-{uuid.uuid4().hex[:8]}",
        f"multi-private-{uuid.uuid4().hex[:8]}",
    )
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="portal-test-key",
        aws_secret_access_key="portal-test-secret",
    )
    for name in (public, private):
        client.create_bucket(Bucket=name)
    statement = {
        "Effect": "Allow",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": f"arn:aws:s3:::{public}/*",
    }
    client.put_bucket_policy(
        Bucket=public, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    )
    root = Path(tempfile.mkdtemp(prefix="portal-test-s3-servers-"))
    common = {
        "SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "DATABASE_URL": f"sqlite:///{root / 'portal.sqlite3'}",
        "RATE_LIMIT_CACHE": "database",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "PORTAL_REQUIRE_STAFF_MFA": "0",
        "EMAIL_HOST": "127.0.0.1",
        "PORTAL_S3_BUCKET": public,
        "PORTAL_S3_PRIVATE_BUCKET": private,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "portal-test-key",
        "AWS_SECRET_ACCESS_KEY": "portal-test-secret",
    }
    env_a = servers.environment(root / "a", "portal.settings.production", **common)
    env_b = servers.environment(root / "b", "portal.settings.production", **common)
    try:
        servers.manage(env_a, "migrate", "--noinput", "-v0")
        for env in (env_a, env_b):
            servers.manage(env, "collectstatic", "--noinput", "-v0")
        servers.manage(env_b, "update_index", "-v0")
        line = servers.run_python(env_a, f"PHOTO = {PHOTO!r}\n" + SETUP).strip().splitlines()[-1]
        photo_pk, photo_name, image_pk, session = line.split()
        port_b = servers.free_port()
        with servers.gunicorn(env_b, port_b, workers=1):
            yield {
                "b": port_b,
                "env_b": env_b,
                "root": root,
                "client": client,
                "endpoint": endpoint,
                "public": public,
                "private": private,
                "photo_pk": photo_pk,
                "photo_name": photo_name,
                "image_pk": image_pk,
                "cookie": {"Cookie": f"sessionid={session}"},
            }
    finally:
        shutil.rmtree(root, ignore_errors=True)
        s3.stop()


def test_photo_stored_through_a_is_served_by_b(site):
    """B, which has no copy on its disk, streams A's photo from the private bucket to staff."""
    path = f"/admin/feedback/photos/{site['photo_pk']}/"
    status, headers, body = servers.get(site["b"], path, headers=site["cookie"])
    assert status == 200 and body == PHOTO
    assert headers["content-type"] == "image/jpeg"
    for server in ("a", "b"):  # nothing was written to either server's own disk
        for folder in ("private", "media"):
            assert not any((site["root"] / server / folder).rglob("*.jpg"))


def test_the_photo_is_not_readable_from_the_bucket_without_credentials(site):
    """The private bucket answers 403 to a browser that asks for the photo."""
    url = f"{site['endpoint']}/{site['private']}/{site['photo_name']}"
    assert _anonymous_get(url)[0] == 403


def test_a_rendition_made_on_b_is_public_in_the_bucket(site):
    """B makes a rendition of A's upload into the public bucket, which anyone may read."""
    url = (
        servers.run_python(site["env_b"], f"IMAGE = {site['image_pk']}\n" + RENDITION)
        .strip()
        .splitlines()[-1]
    )
    assert re.match(rf"{re.escape(site['endpoint'])}/{site['public']}/images/[0-9a-f]{{16}}/", url)
    status, body = _anonymous_get(url)
    assert status == 200 and body[:2] == b"\xff\xd8"


def test_health_on_b_reaches_both_buckets(site):
    """/healthz/ on B writes and reads a probe in each bucket."""
    status, _headers, body = servers.get(site["b"], "/healthz/", headers={"Host": "localhost"})
    assert status == 200, body[:300]
    assert json.loads(body)["checks"]["media"] == "ok"
