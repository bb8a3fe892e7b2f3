"""build_area_tree: the one builder of the tests' area trees."""

import pytest

from grids.factories import ORIGIN, build_area_tree
from grids.geometry import check_tiling, to_shape
from grids.models import AreaPage, GridPage

pytestmark = pytest.mark.django_db

LON, LAT = ORIGIN


def test_builds_areas_and_grids_where_the_spec_puts_them(home_page, workers):
    """Nested keys become live area and grid pages under their parents, boxed from the origin."""
    primary, _backup = workers
    tree = build_area_tree(
        home_page,
        {
            "community": {
                "title": "测试社区",
                "slug": "c",
                "code": "C1",
                "level": "community",
                "extent": (0, 0, 0.01, 0.01),
                "children": {
                    "west": {
                        "title": "西网格",
                        "slug": "w",
                        "code": "C101",
                        "level": "grid",
                        "extent": (0, 0, 0.005, 0.01),
                        "primary_worker": primary,
                    },
                    "east": {
                        "title": "东网格",
                        "slug": "e",
                        "code": "C102",
                        "level": "grid",
                        "extent": (0.005, 0, 0.01, 0.01),
                    },
                },
            }
        },
    )
    community = AreaPage.objects.get(code="C1")
    assert tree["community"] == community and community.get_parent().specific == home_page
    west, east = GridPage.objects.get(code="C101"), GridPage.objects.get(code="C102")
    assert (tree["west"], tree["east"]) == (west, east)
    assert west.community() == community and west.primary_worker == primary
    assert west.url == "/c/w/"
    assert to_shape(west.boundary).bounds == pytest.approx((LON, LAT, LON + 0.005, LAT + 0.01))
    children = [(grid.code, to_shape(grid.boundary)) for grid in (west, east)]
    assert check_tiling(community.code, community.shape, children, tolerance_m2=0.01).ok


def test_a_key_used_twice_is_refused(home_page):
    """Two pages under one key would hide one of them from the test: the builder says so."""
    area = {"level": "community", "extent": (0, 0, 0.01, 0.01)}
    spec = {"a": {**area, "slug": "a", "children": {"a": {**area, "slug": "inner"}}}}
    with pytest.raises(ValueError, match="'a' is used twice"):
        build_area_tree(home_page, spec)
