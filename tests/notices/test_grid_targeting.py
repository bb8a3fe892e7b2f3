"""Grid targeting: grid pages list their notices; the index filters and feeds per grid."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, box
from notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def grids(home_page):
    lon, lat = ORIGIN
    area = AreaPageFactory(
        parent=home_page, slug="area", boundary=box(lon, lat, lon + 0.02, lat + 0.01)
    )
    west = GridPageFactory(
        parent=area,
        slug="west",
        code="G-WEST",
        title="西网格",
        boundary=box(lon, lat, lon + 0.01, lat + 0.01),
    )
    east = GridPageFactory(
        parent=area,
        slug="east",
        code="G-EAST",
        title="东网格",
        boundary=box(lon + 0.01, lat, lon + 0.02, lat + 0.01),
    )
    return east, west


@pytest.fixture
def targeted(notice_index, grids):
    east, west = grids
    everyone = NoticePageFactory(parent=notice_index, title="全社区通知")
    east_only = NoticePageFactory(parent=notice_index, title="东网格停电通知")
    east_only.target_grids.set([east])
    east_only.save_revision().publish()
    return everyone, east_only


def render_grid_notices(grid):
    request = RequestFactory().get("/")
    template = Template("{% load notices_tags %}{% notices_for_grid grid %}")
    return template.render(Context({"grid": grid, "request": request}))


def test_grid_lists_its_notices_and_community_ones(grids, targeted):
    """The east grid lists its own notice and the community-wide one; the west only the latter."""
    east, west = grids
    east_html = render_grid_notices(east)
    west_html = render_grid_notices(west)
    assert "东网格停电通知" in east_html and "全社区通知" in east_html
    assert "东网格停电通知" not in west_html and "全社区通知" in west_html


def test_index_filters_by_grid(client, notice_index, grids, targeted):
    """Filtering the index by the west grid hides the east grid's notice."""
    html = client.get(notice_index.url, {"grid": "G-WEST"}).content.decode()
    assert "全社区通知" in html and "东网格停电通知" not in html


def test_unknown_grid_filter_is_explained(client, notice_index, grids, targeted):
    """An unknown grid code gets a message and the full list."""
    html = client.get(notice_index.url, {"grid": "NOPE"}).content.decode()
    assert "没有这个网格" in html and "东网格停电通知" in html


def test_grid_feed(client, notice_index, grids, targeted):
    """The per-grid feed of the west grid leaves out the east grid's notice."""
    response = client.get(notice_index.url + "feed/rss/grid/G-WEST/")
    root = ET.fromstring(response.content)  # noqa: S314
    assert [item.findtext("title") for item in root.findall("./channel/item")] == ["全社区通知"]
    assert client.get(notice_index.url + "feed/atom/grid/NOPE/").status_code == 404


def test_notice_page_names_its_grids(client, grids, targeted):
    """A targeted notice says which grids it is for; an untargeted one says the whole community."""
    everyone, east_only = targeted
    assert "东网格" in client.get(east_only.url).content.decode()
    assert "全社区" in client.get(everyone.url).content.decode()


def test_grid_page_shows_its_notices(client, grids, targeted):
    """The east grid's own page lists the notice aimed at it and the community-wide one."""
    east, west = grids
    html = client.get(east.url).content.decode()
    assert "本网格通知" in html
    assert "东网格停电通知" in html and "全社区通知" in html
    assert "东网格停电通知" not in client.get(west.url).content.decode()
