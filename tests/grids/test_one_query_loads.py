"""What the grid page reads in one query instead of several (issue 16's "at most 15 queries
cold"): the workers with their photos' card renditions and their leave that day
(grids.context.load_workers), and a grid with the areas above it (grids.models.route_below)."""

import datetime
import io

import pytest
from django.core.files.images import ImageFile
from django.test import RequestFactory
from PIL import Image as PILImage
from wagtail.images import get_image_model

from grids.context import load_workers, on_duty_summary
from grids.factories import LeavePeriodFactory
from grids.models import GridPage, GridWorker
from home.models import HomePage

pytestmark = pytest.mark.django_db


def photo(title="网格员照片", size=(480, 600)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, "#4a7").save(buffer, "PNG")
    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), "p.png"))
    image.save()
    return image


def fresh(grid):
    return GridPage.objects.get(pk=grid.pk)


def test_workers_their_photos_and_todays_leave_come_in_one_query(
    grid, workers, django_assert_num_queries
):
    """One query loads both workers, the card's rendition of each photo and the leave covering
    today; who is on duty, the leave's end and both cards' <img> then ask nothing."""
    today = datetime.date.today()
    for worker in workers:
        worker.photo = photo(worker.name)
        worker.save()
        worker.photo.get_rendition(GridWorker.CARD_PHOTO_SPEC)
    LeavePeriodFactory(worker=workers[0], starts_on=today, ends_on=today + datetime.timedelta(3))
    # An old leave and a later one: not today's, so they must not count.
    LeavePeriodFactory(
        worker=workers[1],
        starts_on=today - datetime.timedelta(20),
        ends_on=today - datetime.timedelta(10),
    )
    LeavePeriodFactory(
        worker=workers[1],
        starts_on=today + datetime.timedelta(10),
        ends_on=today + datetime.timedelta(12),
    )
    page = fresh(grid)
    with django_assert_num_queries(1):
        load_workers([page], day=today)
    with django_assert_num_queries(0):
        summary = on_duty_summary(page, today)
        tags = [page.primary_worker.card_photo_tag(), page.backup_worker.card_photo_tag()]
    assert summary["on_duty"] == workers[1]
    assert summary["primary_leave"].ends_on == today + datetime.timedelta(3)
    assert all('class="worker__photo"' in tag and 'width="240"' in tag for tag in tags)


def test_a_worker_back_from_leave_is_on_duty_again(grid, workers):
    """The leave joined is the one covering the day asked: the day after it ends, the primary
    is on duty."""
    today = datetime.date.today()
    LeavePeriodFactory(worker=workers[0], starts_on=today, ends_on=today)
    page = fresh(grid)
    load_workers([page], day=today + datetime.timedelta(1))
    assert on_duty_summary(page, today + datetime.timedelta(1))["on_duty"] == workers[0]


def test_a_moved_focal_point_gets_its_own_rendition(grid, workers):
    """The joined rendition is used only when it is of the photo's current focal point: after
    an editor moves the focal point the card shows a rendition cut around the new one."""
    worker = workers[0]
    worker.photo = photo(size=(1200, 600))
    worker.save()
    old = worker.photo.get_rendition(GridWorker.CARD_PHOTO_SPEC)
    worker.photo.focal_point_x, worker.photo.focal_point_y = 1100, 300
    worker.photo.focal_point_width = worker.photo.focal_point_height = 50
    worker.photo.save()
    page = fresh(grid)
    load_workers([page])
    tag = page.primary_worker.card_photo_tag()
    assert old.url not in tag
    new = worker.photo.renditions.exclude(pk=old.pk).get()
    assert new.url in tag


def test_a_worker_without_a_photo_has_no_img(grid, workers):
    page = fresh(grid)
    load_workers([page])
    assert page.primary_worker.card_photo_tag() == ""


def test_routing_a_grid_reads_the_areas_above_it_in_the_same_query(
    grid, community, settings, django_assert_num_queries
):
    """Routing a grid's address (the route cache off: every time) is one query, and the grid
    then knows the areas above it without another."""
    settings.PORTAL_ROUTE_CACHE = False
    home = HomePage.objects.get()
    request = RequestFactory().get(grid.url)
    components = [part for part in grid.url_path[len(home.url_path) :].split("/") if part]
    with django_assert_num_queries(1):
        found = home.route(request, components).page
    with django_assert_num_queries(0):
        areas = found.area_chain()
    assert found.pk == grid.pk
    assert [area.title for area in areas] == [a.title for a in fresh(grid).area_chain()]
    assert areas[-1].pk == community.pk


def test_an_unknown_address_below_a_real_area_finds_nothing(grid, community, settings):
    """The deepest page the query finds is the area, not the address asked: no grid route."""
    from grids.models import route_below

    settings.PORTAL_ROUTE_CACHE = False
    home = HomePage.objects.get()
    components = [part for part in community.url_path[len(home.url_path) :].split("/") if part]
    assert route_below(home, [*components, "no-such-grid"], GridPage) is None
    assert route_below(home, components, GridPage) is None  # an area is no grid


def test_a_renamed_area_shows_on_its_grids_page_at_once(client, grid, community, settings):
    """The areas the route read are kept with the route: renaming the community (a publish)
    renews both, so the grid page's link names it anew on the next request."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    assert "查看明华社区的全部网格" in client.get(grid.url).content.decode()
    community.title = "明华新社区"
    community.save_revision().publish()
    assert "查看明华新社区的全部网格" in client.get(grid.url).content.decode()


def test_a_grids_route_keeps_the_areas_without_their_boundaries(grid, community, settings):
    """The areas a grid's route reads are its chain only: their boundaries are not loaded (nor
    kept in the cache with every grid's route); the grid's own boundary is."""
    settings.PORTAL_ROUTE_CACHE = False
    home = HomePage.objects.get()
    components = [part for part in grid.url_path[len(home.url_path) :].split("/") if part]
    found = home.route(RequestFactory().get(grid.url), components).page
    assert all("boundary" in area.get_deferred_fields() for area in found.area_chain())
    assert "boundary" not in found.get_deferred_fields()
