"""The grid and area pages: on-duty worker first, leave notice, team, map, fixed query count."""

import datetime

import pytest
import time_machine
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grids.factories import ORIGIN, GridPageFactory, LeavePeriodFactory, box
from grids.models import GridAddress, GridLevel, GridTeamMember
from tests.portal.test_csp import INLINE, policy

LON, LAT = ORIGIN
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC), tick=False):
        yield


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def test_grid_page_shows_the_primary_first_with_call_link(client, grid, workers):
    """Without leave the primary is shown first, with a tap-to-call work phone and duties."""
    html = html_of(client, grid)
    primary, backup = workers
    assert html.index(primary.name) < html.index(backup.name)
    assert 'href="tel:13800000001"' in html
    assert "今日在岗" in html
    assert primary.duties in html
    assert "备岗（B岗）" in html


def test_grid_page_shows_backup_while_primary_on_leave(client, grid, workers):
    """While the primary is on leave the page says until when and shows the backup first."""
    primary, backup = workers
    LeavePeriodFactory(
        worker=primary, starts_on=TODAY, ends_on=datetime.date(2026, 12, 3), reason="外出培训"
    )
    html = html_of(client, grid)
    assert "网格员张敏正在休假，2026年12月3日后返岗" in html
    assert html.index('href="tel:13800000002"') < html.index('href="tel:13800000001"')
    assert "外出培训" not in html


def test_private_worker_fields_never_appear(client, grid, workers, make_user):
    """E-mail, account and leave reason stay out of the public page and the sign."""
    primary = workers[0]
    primary.email = "zhangmin.private@example.org"
    primary.user = make_user("zm-account")
    primary.save()
    LeavePeriodFactory(worker=primary, starts_on=TODAY, ends_on=TODAY, reason="家中有事")
    for url in (grid.url, f"/grids/{grid.code}/sign/"):
        html = client.get(url).content.decode()
        assert "zhangmin.private" not in html
        assert "zm-account" not in html
        assert "家中有事" not in html


def test_changing_a_worker_updates_the_page_at_once(client, grid, workers):
    """A new phone or photo shows on the next request, though the card is cached."""
    html_of(client, grid)
    primary = workers[0]
    primary.work_phone = "13911112222"
    primary.photo = wagtail_factories.ImageFactory(title="新照片")
    primary.save()
    html = html_of(client, grid)
    assert 'href="tel:13911112222"' in html
    assert "13800000001" not in html
    assert "<img" in html and "fill-240x300" in html


def test_editing_a_workers_photo_updates_the_cached_card(client, grid, workers):
    """A new focal point for a worker's photo shows on the next request, though neither the
    worker nor the grid was saved (the card is cached under the workers' version)."""
    primary = workers[0]
    primary.photo = wagtail_factories.ImageFactory(title="照片", width=640, height=480)
    primary.save()
    before = html_of(client, grid)
    photo = primary.photo
    photo.focal_point_x, photo.focal_point_y = 600, 400
    photo.focal_point_width = photo.focal_point_height = 20
    photo.save()
    after = html_of(client, grid)
    rendition = photo.get_rendition("fill-240x300-c100")
    assert rendition.url not in before
    assert rendition.url in after


def test_grid_page_lists_team_addresses_and_facts(client, grid):
    """Team members with their public phones, the addresses and the household count show."""
    GridTeamMember.objects.create(
        grid=grid, role="building_head", name="王楼长", phone="13700000000"
    )
    GridAddress.objects.create(grid=grid, place="明华街东十九巷", number_from=1, number_to=30)
    html = html_of(client, grid)
    assert "楼栋长" in html and "王楼长" in html and 'href="tel:13700000000"' in html
    assert "明华街东十九巷 1–30" in html
    assert "180" in html


def test_grid_map_shows_the_grid_over_faded_neighbours(client, grid, east_grid):
    """The grid page's map draws this grid emphasised and the neighbour faded, as links."""
    html = html_of(client, grid)
    assert "grid-map__shape--current" in html
    assert "grid-map__shape--faded" in html
    assert f'href="{east_grid.url}" aria-label="第二网格（110105001001002）' in html


def test_area_page_lists_and_maps_its_grids(client, community, grid, east_grid):
    """The area page shows every grid on the map (linked, named) and in a text list."""
    level = GridLevel.objects.get(name="重点关注型")
    east_grid.level = level
    east_grid.save()
    html = html_of(client, community)
    for g in (grid, east_grid):
        assert f'<a href="{g.url}" aria-label="{g.title}（{g.code}）' in html
        assert f'<a href="{g.url}">{g.title}</a>' in html
    assert f'fill="{level.colour}"' in html
    assert "重点关注型" in html


def test_subdistrict_page_lists_child_areas_with_their_totals(client, subdistrict, community, grid):
    """A higher area lists its child areas with their grid counts, not every grid below."""
    html = html_of(client, subdistrict)
    assert f'<a href="{community.url}">{community.title}</a>' in html
    assert "1个网格" in html
    assert grid.url not in html


def make_rich_grid(community, n):
    """A grid with n team members and n addresses, and n neighbours outside the area."""
    rich = GridPageFactory(parent=community, boundary=box(LON, LAT, LON + 0.005, LAT + 0.01))
    for i in range(n):
        GridTeamMember.objects.create(grid=rich, role="volunteer", name=f"志愿者{i}", phone="1")
        GridAddress.objects.create(grid=rich, place=f"巷{i}", number_from=1, number_to=9)
        GridPageFactory(
            parent=community,
            boundary=box(LON + 0.005, LAT + i * 0.0001, LON + 0.006, LAT + (i + 1) * 0.0001),
        )
    return rich


def count_queries(client, page):
    client.get("/")  # a site's first visit creates its settings (a new page-tree version)
    client.get(page.url)  # warm the remembered route and image renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(page.url)
    assert response.status_code == 200
    return len(queries)


def test_grid_page_query_count_is_fixed_and_small(client, community, workers):
    """However many team members, addresses or neighbours, the page takes the same ≤15 queries."""
    small = make_rich_grid(community, 1)
    small.primary_worker, small.backup_worker = workers
    small.save()
    big = make_rich_grid(community, 12)
    big.primary_worker, big.backup_worker = workers
    big.save()
    few = count_queries(client, small)
    many = count_queries(client, big)
    assert few == many
    assert many <= 15


def test_unpublished_grid_is_not_found(client, community):
    """A draft grid below an area answers 404, as does a path that does not exist."""
    draft = GridPageFactory(parent=community, slug="draft-grid", live=False)
    assert client.get(draft.url_path.replace("/home", "", 1)).status_code == 404
    assert client.get("/minghua/minghua-community/nothing-here/").status_code == 404


def test_grid_page_is_found_through_the_tree(client, grid):
    """The grid answers at the URL made of its areas' slugs."""
    assert grid.url == "/minghua/minghua-community/grid-1/"
    assert client.get(grid.url).status_code == 200


def test_nobody_on_duty_shows_the_centre_phone_and_both_workers(client, grid, workers, site):
    """When primary and backup are both on leave, the page gives the centre's phone."""
    from portal.models import SiteSettings

    settings = SiteSettings.for_site(site)
    settings.phone = "010-6543 2100"
    settings.save()
    for worker in workers:
        LeavePeriodFactory(worker=worker, starts_on=TODAY, ends_on=TODAY)
    html = html_of(client, grid)
    assert "都不在岗" in html
    assert 'href="tel:01065432100"' in html
    assert "张敏" in html and "李强" in html
    assert "今日在岗</span>" not in html


def test_map_tiles_are_allowed_only_when_they_are_on(client, community, grid, settings):
    """天地图 tiles may load where key and approval number are set, and nowhere otherwise."""
    assert "https://*.tianditu.gov.cn" not in policy(client.get(community.url))["img-src"]
    settings.GRIDS_TIANDITU_KEY = "k123"
    settings.GRIDS_MAP_APPROVAL_NUMBER = "京S(2026)001号"
    response = client.get(community.url)
    assert "tianditu.gov.cn" in response.content.decode()
    assert policy(response)["img-src"] == ["'self'", "data:", "https://*.tianditu.gov.cn"]


def test_area_page_with_map_and_legend_has_no_inline_style(client, community, grid, east_grid):
    """The server-drawn map and the level legend colour their shapes without style attributes."""
    east_grid.level = GridLevel.objects.get(name="重点关注型")
    east_grid.save()
    html = client.get(community.url).content.decode()
    assert 'class="legend__swatch"' in html
    assert f'fill="{east_grid.level.colour}"' in html
    assert INLINE.search(html) is None
