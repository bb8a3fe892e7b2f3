"""Coordinate systems of Chinese maps, and conversion to the portal's WGS84 / CGCS2000.

Residents' phones (GPS) and 天地图 report WGS84 or CGCS2000, which agree to centimetres and are
stored as they are. Gaode (高德) and Tencent (腾讯) maps draw in GCJ-02, a published offset of
WGS84 (hundreds of metres); Baidu (百度) in BD-09, a further offset of GCJ-02. Both are
converted back with `prcoords` (public domain: the iterative inverse of the published offsets,
within a centimetre), so the import (`import_grids --crs`) and the lookup API (`coordsys=`)
accept them.
"""

import math

import prcoords
from django.utils.translation import gettext_lazy as _

WGS84, CGCS2000, GCJ02, BD09 = "wgs84", "cgcs2000", "gcj02", "bd09"
SYSTEMS = {
    WGS84: _("WGS84（GPS、手机定位）"),
    CGCS2000: _("CGCS2000（天地图、国家测绘成果）"),
    GCJ02: _("GCJ-02（高德、腾讯地图）"),
    BD09: _("BD-09（百度地图）"),
}
_TO_WGS84 = {
    GCJ02: prcoords.gcj_wgs_bored,
    BD09: prcoords.bd_wgs_bored,
}


def to_wgs84(lon, lat, system):
    """(lon, lat) in WGS84 for a point given in `system` (one of SYSTEMS)."""
    if system not in SYSTEMS:
        raise ValueError(f"unknown coordinate system {system!r}")
    convert = _TO_WGS84.get(system)
    point = prcoords.Coords(lat, lon)
    # Outside China (or not a finite number) there is no offset to take back.
    if convert is None or not (math.isfinite(lon) and math.isfinite(lat)):
        return lon, lat
    if not prcoords.sanity_in_china_p(point):
        return lon, lat
    point = convert(point)
    return point.lon, point.lat


def from_wgs84(lon, lat, system):
    """(lon, lat) in `system` for a WGS84 point (for tests and for drawing on such maps)."""
    if system == GCJ02:
        point = prcoords.wgs_gcj(prcoords.Coords(lat, lon))
    elif system == BD09:
        point = prcoords.wgs_bd(prcoords.Coords(lat, lon))
    elif system in SYSTEMS:
        return lon, lat
    else:
        raise ValueError(f"unknown coordinate system {system!r}")
    return point.lon, point.lat


def geometry_to_wgs84(geometry, system):
    """A GeoJSON geometry dict with every position converted from `system` to WGS84; a value
    that is not a list of numbers is left as it is, for the boundary check to name."""
    if system not in _TO_WGS84 or not isinstance(geometry, dict):
        return geometry

    def convert(value):
        if (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(c, int | float) and not isinstance(c, bool) for c in value[:2])
        ):
            return [*to_wgs84(value[0], value[1], system), *value[2:]]
        if isinstance(value, list):
            return [convert(item) for item in value]
        return value

    return {**geometry, "coordinates": convert(geometry.get("coordinates"))}
