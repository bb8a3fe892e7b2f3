"""Grid targeting: grid pages list their notices; the index filters and feeds per grid."""

import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from notices.factories import NoticePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def targeted(notice_index, grid, east_grid):
    """A notice for the whole community and one for the east grid only."""
    everyone = NoticePageFactory(parent=notice_index, title="全社区通知")
    east_only = NoticePageFactory(parent=notice_index, title="东网格停电通知")
    east_only.target_grids.set([east_grid])
    east_only.save_revision().publish()
    return everyone, east_only


def render_grid_notices(grid):
    request = RequestFactory().get("/")
    template = Template("{% load notices_tags %}{% notices_for_grid grid %}")
    return template.render(Context({"grid": grid, "request": request}))


def test_grid_lists_its_notices_and_community_ones(grid, east_grid, targeted):
    """The east grid lists its own notice and the community-wide one; the west only the latter."""
    east_html = render_grid_notices(east_grid)
    west_html = render_grid_notices(grid)
    assert "东网格停电通知" in east_html and "全社区通知" in east_html
    assert "东网格停电通知" not in west_html and "全社区通知" in west_html


def test_index_filters_by_grid(client, notice_index, grid, targeted):
    """Filtering the index by the west grid hides the east grid's notice."""
    html = client.get(notice_index.url, {"grid": grid.code}).content.decode()
    assert "全社区通知" in html and "东网格停电通知" not in html


def test_unknown_grid_filter_is_explained(client, notice_index, targeted):
    """An unknown grid code gets a message and the full list."""
    html = client.get(notice_index.url, {"grid": "NOPE"}).content.decode()
    assert "没有这个网格" in html and "东网格停电通知" in html


def test_grid_feed(client, notice_index, grid, targeted):
    """The per-grid feed of the west grid leaves out the east grid's notice."""
    response = client.get(notice_index.url + f"feed/rss/grid/{grid.code}/")
    root = ET.fromstring(response.content)  # noqa: S314
    assert [item.findtext("title") for item in root.findall("./channel/item")] == ["全社区通知"]
    assert client.get(notice_index.url + "feed/atom/grid/NOPE/").status_code == 404


def test_notice_page_names_its_grids(client, east_grid, targeted):
    """A targeted notice says which grids it is for; an untargeted one says the whole community."""
    everyone, east_only = targeted
    assert east_grid.title in client.get(east_only.url).content.decode()
    assert "全社区" in client.get(everyone.url).content.decode()


def test_grid_page_shows_its_notices(client, grid, east_grid, targeted):
    """The east grid's own page lists the notice aimed at it and the community-wide one."""
    html = client.get(east_grid.url).content.decode()
    assert "本网格通知" in html
    assert "东网格停电通知" in html and "全社区通知" in html
    assert "东网格停电通知" not in client.get(grid.url).content.decode()
