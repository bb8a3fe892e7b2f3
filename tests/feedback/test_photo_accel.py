"""With PORTAL_PRIVATE_ACCEL_PREFIX the photo views leave the sending to nginx: after the same
check they answer an empty body and X-Accel-Redirect to the internal location (behind nginx:
tests/portal/test_private_files_nginx.py)."""

import os
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from feedback.models import Feedback, FeedbackPhoto

from .conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(client, form_data, settings):
    settings.PORTAL_PRIVATE_ACCEL_PREFIX = "/_private/"
    upload = SimpleUploadedFile("p.jpg", make_image(), "image/jpeg")
    assert client.post("/feedback/", {**form_data(), "photos": [upload]}).status_code == 302
    client.logout()
    return FeedbackPhoto.objects.get()


def test_staff_view_answers_with_the_internal_path(client, photo, administrator):
    """The handler's request is answered with X-Accel-Redirect to the photo, no bytes."""
    client.force_login(administrator)
    for path in (
        f"/admin/feedback/photos/{photo.pk}/",
        f"/admin/cases/{Feedback.objects.get().pk}/photos/{photo.pk}/",
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response["X-Accel-Redirect"] == "/_private/" + quote(photo.file.name)
        assert response.content == b""
        assert response["Content-Type"] == "image/jpeg"


def test_others_get_no_internal_path(client, photo, make_user):
    """A signed-in user who does not handle the case learns nothing of where the photo is."""
    client.force_login(make_user("nobody"))
    response = client.get(f"/admin/feedback/photos/{photo.pk}/")
    assert response.status_code in (302, 403, 404)
    assert "X-Accel-Redirect" not in response


def test_photo_is_written_readable_by_nginx_group(photo):
    """Photos nginx sends are 640, so nginx's group may read them and no one else."""
    assert os.stat(photo.file.path).st_mode & 0o777 == 0o640
