"""The admin side: the read-only case view, photos for handling staff only, failed deliveries."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from post_office.models import STATUS, Email

from feedback.models import Feedback, FeedbackPhoto
from grids.factories import GridWorkerFactory
from portal import roles

from .conftest import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def case_with_photo(client, form_data):
    photo = SimpleUploadedFile("p.jpg", make_image(), "image/jpeg")
    assert client.post("/feedback/", {**form_data(), "photos": [photo]}).status_code == 302
    client.logout()
    return Feedback.objects.get()


@pytest.fixture
def own_worker(make_user, workers):
    """The account of the case grid's primary worker."""
    user = make_user("zhangmin", roles.GRID_WORKERS)
    primary, _backup = workers
    primary.user = user
    primary.save()
    return user


@pytest.fixture
def other_worker(make_user, east_grid):
    """A grid worker of another grid."""
    user = make_user("other", roles.GRID_WORKERS)
    worker = GridWorkerFactory(name="赵六", user=user)
    east_grid.primary_worker = worker
    east_grid.save()
    return user


def test_case_page_shows_case_contacts_and_deliveries(client, case_with_photo, administrator):
    """An administrator sees the message and each delivery's state; contact details on request."""
    client.force_login(administrator)
    html = client.get(f"/admin/cases/{case_with_photo.pk}/").content.decode()
    assert case_with_photo.ticket_number in html
    assert "13800001234" not in html  # shown only on request, and that viewing is logged
    contact = client.post(f"/admin/cases/{case_with_photo.pk}/contact/").content.decode()
    assert "13800001234" in contact and "王女士" in contact
    assert "zhang@example.org" in html and "centre@example.org" in html
    assert html.count('class="delivery"') == 3
    assert "queued" in html or "排队" in html


def test_worker_of_the_grid_sees_the_case_and_photo(client, case_with_photo, own_worker):
    """The grid's own worker opens the case (also through the older link in e-mails) and its
    photo."""
    client.force_login(own_worker)
    assert client.get(f"/admin/cases/{case_with_photo.pk}/").status_code == 200
    old_link = client.get(f"/admin/feedback/cases/{case_with_photo.pk}/", follow=True)
    assert old_link.redirect_chain == [(f"/admin/cases/{case_with_photo.pk}/", 302)]
    assert old_link.status_code == 200
    photo = FeedbackPhoto.objects.get()
    response = client.get(f"/admin/feedback/photos/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_worker_of_another_grid_is_refused(client, case_with_photo, other_worker):
    """A worker of another grid can open neither the case (by its link or the older one) nor
    its photo."""
    client.force_login(other_worker)
    assert client.get(f"/admin/cases/{case_with_photo.pk}/").status_code == 404
    assert client.get(f"/admin/feedback/cases/{case_with_photo.pk}/").status_code == 404
    photo = FeedbackPhoto.objects.get()
    assert client.get(f"/admin/feedback/photos/{photo.pk}/").status_code == 404


def test_photo_is_not_reachable_without_signing_in(client, case_with_photo, settings):
    """Anonymous visitors are sent to sign in; the file is under no media URL."""
    photo = FeedbackPhoto.objects.get()
    response = client.get(f"/admin/feedback/photos/{photo.pk}/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.get(settings.MEDIA_URL + photo.file.name).status_code == 404


def test_failed_deliveries_on_dashboard(client, case_with_photo, administrator):
    """An e-mail post_office gave up on is listed on the admin dashboard with its case."""
    Email.objects.filter(to__contains="zhang@example.org").update(status=STATUS.failed)
    client.force_login(administrator)
    html = client.get("/admin/").content.decode()
    assert "投递失败的邮件：1 封" in html
    assert f"/admin/cases/{case_with_photo.pk}/" in html
    assert "zhang@example.org" in html


def test_no_panel_without_failures(client, case_with_photo, administrator):
    """The dashboard stays quiet while nothing has failed."""
    client.force_login(administrator)
    assert "投递失败的邮件" not in client.get("/admin/").content.decode()
