"""Coordinate systems: GCJ-02 (Gaode, Tencent) and BD-09 (Baidu) back to WGS84, for the import
and the lookup API's `coordsys=`."""

import pytest

from grids.coords import from_wgs84, to_wgs84
from grids.factories import ORIGIN

LON, LAT = ORIGIN

# Published reference values for the point (116.404, 39.915), from the test page of the widely
# used coordtransform library (wandergis/coordtransform, test/app.js): the forward offsets are
# exact formulas; its GCJ-02 → WGS84 is the one-step inverse, good to about 2e-6 degrees.
FORWARD = [
    ("gcj02", (116.41024449916938, 39.91640428150164)),  # wgs84togcj02
]
INVERSE = [
    # (system, point in that system, WGS84, tolerance in degrees)
    ("gcj02", (116.404, 39.915), (116.39775550083061, 39.91359571849836), 2e-6),
    ("wgs84", (116.404, 39.915), (116.404, 39.915), 0),
    ("cgcs2000", (116.404, 39.915), (116.404, 39.915), 0),
]
# BD-09 ↔ GCJ-02, same source: bd09togcj02 and gcj02tobd09 of (116.404, 39.915).
BD_FROM_GCJ = ((116.404, 39.915), (116.41036949371029, 39.92133699351021))
GCJ_FROM_BD = ((116.404, 39.915), (116.39762729119315, 39.90865673957631))


@pytest.mark.parametrize(("system", "expected"), FORWARD)
def test_forward_offsets_match_the_published_values(system, expected):
    lon, lat = from_wgs84(116.404, 39.915, system)
    assert lon == pytest.approx(expected[0], abs=1e-12)
    assert lat == pytest.approx(expected[1], abs=1e-12)


@pytest.mark.parametrize(("system", "given", "expected", "tolerance"), INVERSE)
def test_conversion_to_wgs84_matches_the_published_values(system, given, expected, tolerance):
    lon, lat = to_wgs84(*given, system)
    assert lon == pytest.approx(expected[0], abs=tolerance)
    assert lat == pytest.approx(expected[1], abs=tolerance)


def test_bd09_is_gcj02_shifted_as_published():
    """BD-09 → WGS84 equals GCJ-02 → WGS84 of the published pairs: exactly for the forward
    formula, within 1e-6 degrees (10 cm) for the published one-step BD-09 → GCJ-02."""
    gcj, bd = BD_FROM_GCJ
    assert to_wgs84(*bd, "bd09") == pytest.approx(to_wgs84(*gcj, "gcj02"), abs=1e-8)
    bd, gcj = GCJ_FROM_BD
    assert to_wgs84(*bd, "bd09") == pytest.approx(to_wgs84(*gcj, "gcj02"), abs=1e-6)


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
@pytest.mark.parametrize("point", [ORIGIN, (121.4737, 31.2304), (113.2644, 23.1291)])
def test_round_trip_is_within_a_centimetre(system, point):
    """Beijing, Shanghai, Guangzhou: WGS84 → system → WGS84 comes back within 1e-7 degrees."""
    shifted = from_wgs84(*point, system)
    assert abs(shifted[0] - point[0]) + abs(shifted[1] - point[1]) > 1e-3  # hundreds of metres
    assert to_wgs84(*shifted, system) == pytest.approx(point, abs=1e-7)


def test_outside_china_and_non_finite_points_are_left_alone():
    assert to_wgs84(2.35, 48.85, "gcj02") == (2.35, 48.85)
    assert to_wgs84(float("inf"), 39.9, "bd09")[1] == 39.9


@pytest.mark.django_db
@pytest.mark.parametrize("system", ["gcj02", "bd09", "GCJ-02"])
def test_lookup_api_accepts_web_map_coordinates(client, grid, east_grid, system):
    """A point taken from Gaode or Baidu finds the grid its WGS84 position is in; the same
    numbers read as WGS84 land hundreds of metres away, outside every grid."""
    lng, lat = from_wgs84(LON + 0.0045, LAT + 0.005, system.lower().replace("-", ""))
    found = client.get("/api/grids/lookup/", {"lat": lat, "lng": lng, "coordsys": system})
    assert [r["code"] for r in found.json()["results"]] == [grid.code]
    raw = client.get("/api/grids/lookup/", {"lat": lat, "lng": lng})
    assert raw.json()["results"] == []


@pytest.mark.django_db
def test_lookup_api_refuses_an_unknown_coordsys(client, grid):
    response = client.get("/api/grids/lookup/", {"lat": LAT, "lng": LON, "coordsys": "mercator"})
    assert response.status_code == 400 and "coordsys" in response.json()["error"]
