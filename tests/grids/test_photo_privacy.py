"""A grid worker's photo is public while a live grid page shows the worker, and only then."""

import pytest
import wagtail_factories
from django.conf import settings
from django.http import Http404
from django.views.static import serve

from portal.files import is_public

pytestmark = pytest.mark.django_db


def media_status(rf, name):
    """What the dev server (`make run`: DEBUG, static() in portal/urls.py) answers for
    /media/<name>."""
    try:
        return serve(rf.get(settings.MEDIA_URL + name), name, settings.MEDIA_ROOT).status_code
    except Http404:
        return 404


def test_worker_photo_is_public_while_a_live_grid_page_shows_it(
    client, rf, grid, workers, django_capture_on_commit_callbacks
):
    """The photo on a live grid page is served; unpublishing the grid withdraws it."""
    primary = workers[0]
    primary.photo = wagtail_factories.ImageFactory(title="工作照")
    primary.save()
    photo = primary.photo
    assert is_public(photo)
    assert client.get(grid.url).status_code == 200
    rendition = photo.renditions.get(filter_spec__startswith="fill-240x300")
    assert media_status(rf, rendition.file.name) == 200
    assert media_status(rf, photo.file.name) == 404

    with django_capture_on_commit_callbacks(execute=True):
        grid.unpublish()
    assert not is_public(photo)
    assert not photo.renditions.exists()
    assert media_status(rf, rendition.file.name) == 404


def test_photo_of_a_worker_on_no_grid_is_not_public(rf, workers):
    """A worker no live grid page shows does not make their photo public."""
    from grids.factories import GridWorkerFactory

    worker = GridWorkerFactory(name="王芳", work_phone="13800000009")
    worker.photo = wagtail_factories.ImageFactory(title="工作照")
    worker.save()
    assert not is_public(worker.photo)
    assert media_status(rf, worker.photo.file.name) == 404


def test_replaced_worker_photo_is_withdrawn(
    client, rf, grid, workers, django_capture_on_commit_callbacks
):
    """When a worker on a live grid gets a new photo, the old photo's files stop being served."""
    primary = workers[0]
    primary.photo = wagtail_factories.ImageFactory(title="旧照片")
    primary.save()
    old_photo = primary.photo
    client.get(grid.url)
    rendition = old_photo.renditions.get(filter_spec__startswith="fill-240x300")
    assert media_status(rf, rendition.file.name) == 200

    with django_capture_on_commit_callbacks(execute=True):
        primary.photo = wagtail_factories.ImageFactory(title="新照片")
        primary.save()
    assert not is_public(old_photo)
    assert media_status(rf, rendition.file.name) == 404
    assert "fill-240x300" in client.get(grid.url).content.decode()
