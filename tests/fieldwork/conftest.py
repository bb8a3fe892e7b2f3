"""Fixtures for fieldwork: the case-handling world (two communities, workers, centres), the
lines slips go to, and a photo as a phone sends it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fieldwork.models import Line
from tests.cases.conftest import case_world  # noqa: F401  (the shared world of staff and grids)


@pytest.fixture
def social_security():
    return Line.objects.create(
        name="社保", contact_name="周科员", email="shebao@example.org", deadline_days=3
    )


@pytest.fixture
def civil_affairs():
    return Line.objects.create(
        name="民政", contact_name="吴科员", email="minzheng@example.org", deadline_days=5
    )


def jpeg_bytes(size=(64, 48)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def photo_upload():
    def make(name="IMG_0001.jpg"):
        return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")

    return make
