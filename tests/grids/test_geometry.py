"""Boundary validation (clear messages, never a server error) and tiling of children."""

import pytest
from django.core.exceptions import ValidationError
from shapely.geometry import shape

from grids.factories import box
from grids.geometry import area_m2, boundary_errors, check_tiling, validate_boundary

LON, LAT = 116.45, 39.92


def messages(value):
    return " ".join(str(m) for m in boundary_errors(value))


def test_a_closed_box_in_china_is_valid():
    """A closed rectangle in WGS84 lon/lat inside China passes."""
    assert boundary_errors(box(LON, LAT, LON + 0.01, LAT + 0.01)) == []


def test_self_intersection_is_named_with_its_location():
    """A bow-tie ring is refused as self-intersecting, with the crossing point."""
    bowtie = {
        "type": "Polygon",
        "coordinates": [
            [[LON, LAT], [LON + 0.01, LAT + 0.01], [LON + 0.01, LAT], [LON, LAT + 0.01], [LON, LAT]]
        ],
    }
    text = messages(bowtie)
    assert "自相交" in text
    assert "116.455000, 39.925000" in text


def test_unclosed_ring_is_refused():
    """A ring whose last point differs from its first is refused as not closed."""
    ring = box(LON, LAT, LON + 0.01, LAT + 0.01)["coordinates"][0][:-1] + [[LON, LAT + 0.005]]
    assert "没有闭合" in messages({"type": "Polygon", "coordinates": [ring]})


def test_ring_with_fewer_than_four_points_is_refused():
    """A ring needs at least four points (first and last the same)."""
    ring = [[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]
    assert "至少需要4个点" in messages({"type": "Polygon", "coordinates": [ring]})


def test_coordinates_outside_china_are_refused_with_a_hint():
    """Swapped latitude/longitude falls outside China and the message says what to check."""
    swapped = box(LAT, LON, LAT + 0.01, LON + 0.01)
    text = messages(swapped)
    assert "不在中国范围内" in text
    assert "[经度, 纬度]" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a string", "GeoJSON对象"),
        ({"type": "Point", "coordinates": [LON, LAT]}, "Polygon或MultiPolygon"),
        ({"type": "Polygon"}, "缺少坐标"),
        ({"type": "Polygon", "coordinates": [[["x", "y"]]]}, "[经度, 纬度]"),
        (None, "请填写边界"),
    ],
)
def test_wrong_shapes_get_clear_messages(value, expected):
    """Non-polygons, missing or malformed coordinates each get a message naming the problem."""
    assert expected in messages(value)


def test_validator_raises_a_validation_error():
    """The model field's validator raises ValidationError, never another exception."""
    with pytest.raises(ValidationError):
        validate_boundary({"type": "Polygon", "coordinates": [[[1, 2]]]})


def test_multipolygon_and_holes_are_accepted():
    """A MultiPolygon, and a polygon with a hole inside it, are valid boundaries."""
    outer = box(LON, LAT, LON + 0.01, LAT + 0.01)["coordinates"][0]
    hole = box(LON + 0.003, LAT + 0.003, LON + 0.006, LAT + 0.006)["coordinates"][0][::-1]
    assert boundary_errors({"type": "Polygon", "coordinates": [outer, hole]}) == []
    multi = {
        "type": "MultiPolygon",
        "coordinates": [
            box(LON, LAT, LON + 0.01, LAT + 0.01)["coordinates"],
            box(LON + 0.02, LAT, LON + 0.03, LAT + 0.01)["coordinates"],
        ],
    }
    assert boundary_errors(multi) == []


def test_hole_outside_its_shell_is_refused():
    """A hole that lies outside the outer ring is refused."""
    outer = box(LON, LAT, LON + 0.01, LAT + 0.01)["coordinates"][0]
    hole = box(LON + 0.02, LAT, LON + 0.03, LAT + 0.01)["coordinates"][0]
    assert "内环" in messages({"type": "Polygon", "coordinates": [outer, hole]})


def test_area_of_a_known_box():
    """0.01° × 0.01° at 39.92°N is about 852 m × 1112 m ≈ 947,000 m²."""
    measured = area_m2(shape(box(LON, LAT, LON + 0.01, LAT + 0.01)))
    assert measured == pytest.approx(947_000, rel=0.01)


def parent():
    return shape(box(LON, LAT, LON + 0.01, LAT + 0.01))


def test_halves_tile_their_parent():
    """Two halves sharing a border cover the parent with no overlap and no gap."""
    report = check_tiling(
        "P",
        parent(),
        [
            ("A", shape(box(LON, LAT, LON + 0.005, LAT + 0.01))),
            ("B", shape(box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01))),
        ],
    )
    assert report.ok


def test_overlap_is_reported_with_both_codes_and_size():
    """Overlapping children are named, with the overlap in m² and where it is."""
    report = check_tiling(
        "P",
        parent(),
        [
            ("A", shape(box(LON, LAT, LON + 0.006, LAT + 0.01))),
            ("B", shape(box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01))),
        ],
    )
    (overlap,) = report.of_kind("overlap")
    assert overlap.codes == ("A", "B")
    assert overlap.area_m2 == pytest.approx(94_700, rel=0.02)
    assert LON + 0.005 < overlap.lon < LON + 0.006
    assert "A与B重叠" in str(overlap.message())


def test_gap_is_reported_with_its_size():
    """A strip nobody covers is reported as a gap of the parent, with its area."""
    report = check_tiling(
        "P",
        parent(),
        [
            ("A", shape(box(LON, LAT, LON + 0.004, LAT + 0.01))),
            ("B", shape(box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01))),
        ],
    )
    (gap,) = report.of_kind("gap")
    assert gap.area_m2 == pytest.approx(94_700, rel=0.02)
    assert "缺口" in str(gap.message())


def test_child_outside_its_parent_is_reported():
    """A child reaching beyond the parent's boundary is reported as outside."""
    report = check_tiling("P", parent(), [("A", shape(box(LON, LAT, LON + 0.011, LAT + 0.01)))])
    assert [p.kind for p in report.problems] == ["outside"]


def test_slivers_within_the_tolerance_are_ignored():
    """A 5e-9° × 0.01° sliver (about 0.5 m²) is within the 1 m² default tolerance."""
    children = [
        ("A", shape(box(LON, LAT, LON + 0.005000005, LAT + 0.01))),
        ("B", shape(box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01))),
    ]
    assert check_tiling("P", parent(), children).ok
    assert not check_tiling("P", parent(), children, tolerance_m2=0.001).ok


def test_tolerance_comes_from_settings(settings):
    """GRIDS_TILING_TOLERANCE_M2 sets the tolerance."""
    settings.GRIDS_TILING_TOLERANCE_M2 = 200_000
    children = [("A", shape(box(LON, LAT, LON + 0.009, LAT + 0.01)))]
    assert check_tiling("P", parent(), children).ok


def test_grid_with_a_hole_filled_by_another_grid_tiles():
    """A ring-shaped grid and the grid in its hole together tile the parent exactly."""
    outer = box(LON, LAT, LON + 0.01, LAT + 0.01)["coordinates"][0]
    inner = box(LON + 0.003, LAT + 0.003, LON + 0.006, LAT + 0.006)
    ring = shape({"type": "Polygon", "coordinates": [outer, inner["coordinates"][0][::-1]]})
    report = check_tiling("P", parent(), [("RING", ring), ("CORE", shape(inner))])
    assert report.ok
    assert not check_tiling("P", parent(), [("RING", ring)]).ok


def test_multipolygon_children_tile():
    """A grid made of two separate pieces, with a grid between them, tiles the parent."""
    west_east = shape(
        {
            "type": "MultiPolygon",
            "coordinates": [
                box(LON, LAT, LON + 0.003, LAT + 0.01)["coordinates"],
                box(LON + 0.007, LAT, LON + 0.01, LAT + 0.01)["coordinates"],
            ],
        }
    )
    middle = shape(box(LON + 0.003, LAT, LON + 0.007, LAT + 0.01))
    assert check_tiling("P", parent(), [("WE", west_east), ("M", middle)]).ok
