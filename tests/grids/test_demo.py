"""The demo community: tiles exactly, 9 grids of 150–250 households, workers with cover."""

import pytest

from grids.enums import OnDutyRole
from grids.geometry import check_tiling, to_shape
from grids.lookup import find_by_text
from grids.models import AreaPage, GridPage

pytestmark = pytest.mark.django_db


def test_demo_tree_tiles_exactly(loaded_demo):
    """Every demo area is covered by its children with no overlap and no gap (0.01 m²)."""
    for area in AreaPage.objects.live():
        children = [
            (child.specific.code, to_shape(child.specific.boundary))
            for child in area.get_children().live()
        ]
        assert children
        assert check_tiling(area.code, area.shape, children, tolerance_m2=0.01).ok, area.title


def test_demo_community_size_zones_and_grids(loaded_demo):
    """One subdistrict, one community of about 0.68 km², 3 zones and 9 grids."""
    assert AreaPage.objects.filter(level="subdistrict").count() == 1
    community = AreaPage.objects.get(level="community")
    assert 660_000 < community.area_m2 < 700_000
    assert AreaPage.objects.filter(level="zone").count() == 3
    grids = GridPage.objects.live()
    assert grids.count() == 9
    assert all(150 <= grid.households <= 250 for grid in grids)


def test_demo_grids_have_workers_photos_and_teams(loaded_demo):
    """Each grid has a primary and a backup with a portrait, and a team of 3 to 5."""
    for grid in GridPage.objects.all():
        assert grid.primary_worker.photo is not None
        assert grid.backup_worker.photo is not None
        assert grid.primary_worker != grid.backup_worker
        assert 3 <= grid.team_members.count() <= 5


def test_exactly_one_demo_primary_is_on_leave_today(loaded_demo):
    """One grid shows its backup today because its primary is on leave."""
    roles = [grid.on_duty_role() for grid in GridPage.objects.all()]
    assert roles.count(OnDutyRole.BACKUP) == 1
    assert roles.count(OnDutyRole.PRIMARY) == 8


@pytest.mark.parametrize("typed", ["明华街东十九巷12号", "明华街东19巷12号"])
def test_demo_addresses_are_found(loaded_demo, typed):
    """The demo lanes are found by lookup, with numerals written either way."""
    (match,) = find_by_text(typed)
    assert GridPage.objects.get(pk=match.pk).title == "第一网格"


def test_demo_gridworker_account_is_a_primary(loaded_demo):
    """The demo grid worker account is the primary of the first grid (for the inbox)."""
    from django.contrib.auth import get_user_model

    from grids.models import grids_for_user

    account = get_user_model().objects.get(username="demo-gridworker")
    assert [grid.title for grid in grids_for_user(account)] == ["第一网格", "第三网格"]


def _route_every_page(root, pages):
    """Each page's URL path routed from the site's root page: {path: the page it finds}."""
    return _route_paths(root, [page.get_url_parts()[2] for page in pages])


def _route_paths(root, paths):
    """Each path routed from the site's root page: {path: the page's id, or None for a 404}."""
    from django.http import Http404
    from django.test import RequestFactory

    found = {}
    for path in paths:
        try:
            result = root.route(RequestFactory().get(path), [c for c in path.split("/") if c])
            found[path] = result.page.pk
        except Http404:
            found[path] = None
    return found


def test_demo_tree_routes_the_same_with_and_without_the_route_cache(loaded_demo, settings):
    """Every live page of the demo is routed to itself with PORTAL_ROUTE_CACHE off, and to the
    same page with it on, from a cold cache and again from the kept routes; an unpublished grid
    and an unknown grid address stay 404 either way."""
    from django.core.cache import cache
    from wagtail.models import Page, Site

    site = Site.objects.get(is_default_site=True)
    root = site.root_page.specific
    pages = list(Page.objects.live().descendant_of(site.root_page).specific())
    assert len(pages) > 20
    unpublished = GridPage.objects.live().order_by("pk").last()
    unknown = GridPage.objects.live().order_by("pk").first()
    unpublished.unpublish()
    every = [*pages, unpublished]

    settings.PORTAL_ROUTE_CACHE = False
    expected = _route_every_page(root, every)
    assert expected == {
        **{page.get_url_parts()[2]: page.pk for page in pages if page.pk != unpublished.pk},
        unpublished.get_url_parts()[2]: None,
    }

    settings.PORTAL_ROUTE_CACHE = True
    cache.clear()
    assert _route_every_page(root, every) == expected
    assert _route_every_page(root, every) == expected

    # What the setting is for: a known grid address costs no query once kept, one without.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # (Within a request the data versions are read once: `versions.remembered`.)
    from portal import versions

    grid_paths = [grid.get_url_parts()[2] for grid in GridPage.objects.live()]
    counts = {}
    for setting in (True, False):
        settings.PORTAL_ROUTE_CACHE = setting
        with versions.remembered(), CaptureQueriesContext(connection) as queries:
            assert None not in _route_paths(root, grid_paths).values()
        counts[setting] = len(queries)
    assert counts[True] <= 2  # the two versions the kept routes depend on
    assert counts[False] >= len(grid_paths)

    # An address nobody has, where a grid's would be.
    nowhere = unknown.get_url_parts()[2].rstrip("/").rsplit("/", 1)[0] + "/no-such-grid/"
    for setting in (False, True):
        settings.PORTAL_ROUTE_CACHE = setting
        assert _route_paths(root, [nowhere, nowhere]) == {nowhere: None}
