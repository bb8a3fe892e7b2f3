"""Private files sent by nginx after the portal's check (X-Accel-Redirect), as
docs/deployment.md sets it up: PORTAL_PRIVATE_ACCEL_PREFIX=/_private/ and deploy/nginx-portal.conf's
`internal` location. Production settings, gunicorn behind nginx; marked `servers`, skipped
without nginx."""

import io
import shutil
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from PIL import Image

from tests import servers

pytestmark = [
    pytest.mark.servers,
    pytest.mark.skipif(
        not servers.nginx_available(), reason="nginx is not installed (apt-get install -y nginx)"
    ),
]

SETUP = """
import io
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from feedback.factories import FeedbackFactory
from feedback.models import FeedbackPhoto

def session(user):
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key

User = get_user_model()
admin = User.objects.create_superuser("admin", "admin@example.org", "unused-password-1")
other = User.objects.create_user("other", "other@example.org", "unused-password-2")
with transaction.atomic():
    case = FeedbackFactory()
photo = FeedbackPhoto(case=case, content_type="image/jpeg", size=len(PHOTO))
photo.file.save("p.jpg", ContentFile(PHOTO), save=True)
document = get_document_model()(title="通知")
document.file.save("通知.txt", ContentFile("明日停水。".encode()), save=True)
print(photo.pk, photo.file.name, document.pk, document.filename, session(admin), session(other))
"""


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (30, 120, 200)).save(out, "JPEG")
    return out.getvalue()


PHOTO = _jpeg()


@pytest.fixture(scope="module")
def site():
    """The portal behind nginx with X-Accel-Redirect on: ports, ids and the two sessions."""
    var_dir = Path(tempfile.mkdtemp(prefix="portal-test-accel-"))
    env = servers.environment(
        var_dir,
        "portal.settings.production",
        SECRET_KEY="a" + "".join(chr(97 + (n * 11) % 26) for n in range(60)),
        ALLOWED_HOSTS="localhost",
        PORTAL_BASE_URL="https://localhost",
        RATE_LIMIT_CACHE="database",
        PORTAL_REQUIRE_STAFF_MFA="0",
        PORTAL_PRIVATE_ACCEL_PREFIX="/_private/",
        EMAIL_HOST="127.0.0.1",
    )
    try:
        servers.manage(env, "migrate", "--noinput", "-v0")
        servers.manage(env, "collectstatic", "--noinput", "-v0")
        line = servers.run_python(env, f"PHOTO = {PHOTO!r}\n" + SETUP).strip().splitlines()[-1]
        photo_pk, photo_name, document_pk, filename, admin, other = line.split()
        with servers.portal_behind_nginx(env, var_dir, workers=1) as (_http, https_port):
            yield {
                "port": https_port,
                "photo": f"/admin/feedback/photos/{photo_pk}/",
                "photo_name": photo_name,
                "document": f"/documents/{document_pk}/{urllib.parse.quote(filename)}",
                "admin": {"Cookie": f"sessionid={admin}"},
                "other": {"Cookie": f"sessionid={other}"},
                "var_dir": var_dir,
            }
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def test_nginx_sends_the_photo_to_staff_handling_the_case(site):
    """The handler gets the photo's bytes from nginx, marked private, and no internal path."""
    status, headers, body = servers.https_get(site["port"], site["photo"], headers=site["admin"])
    assert status == 200
    assert body == PHOTO
    assert headers["content-type"] == "image/jpeg"
    assert "no-store" in headers["cache-control"]
    assert headers["x-content-type-options"] == "nosniff"
    # Sent by nginx's internal location: its policy, not the admin's, and no internal path.
    assert headers["content-security-policy"] == "default-src 'none'"
    assert "x-accel-redirect" not in headers


def test_others_are_refused_the_photo(site):
    """A signed-in user who does not handle the case gets no photo."""
    status, _headers, body = servers.https_get(site["port"], site["photo"], headers=site["other"])
    assert status in (302, 403, 404)
    assert PHOTO not in body


def test_the_internal_location_is_not_reachable_from_outside(site):
    """Asking nginx for /_private/<photo> directly is a 404, signed in or not."""
    path = "/_private/" + site["photo_name"]
    for headers in ({}, site["admin"]):
        status, _headers, body = servers.https_get(site["port"], path, headers=headers)
        assert status == 404
        assert PHOTO not in body


def test_nginx_sends_a_document_with_its_name(site):
    """Wagtail's document view hands the file to nginx too, keeping its download name."""
    status, headers, body = servers.https_get(site["port"], site["document"], headers=site["admin"])
    assert status == 200
    assert body == "明日停水。".encode()
    assert "attachment" in headers["content-disposition"]
    assert "x-accel-redirect" not in headers


def test_private_files_are_readable_by_nginx_group(site):
    """With nginx sending them, the photo is 640 and its directories 750 (nginx's group)."""
    private = site["var_dir"] / "private"
    assert (private / site["photo_name"]).stat().st_mode & 0o777 == 0o640
    assert private.stat().st_mode & 0o777 == 0o750
