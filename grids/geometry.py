"""Boundaries as data: validate GeoJSON polygons, measure them, and check that children tile.

Coordinates are longitude/latitude in WGS84 or CGCS2000 (the two agree to centimetres). Areas
are measured on a sinusoidal (equal-area) projection centred on the shape, which is exact on
the sphere and within a fraction of a percent of the ellipsoid at community scale.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely.geometry import mapping, shape
from shapely.validation import explain_validity

# China's bounding box (longitude 73°E–136°E, latitude 3°N–54°N): a boundary outside it is
# almost certainly in the wrong datum, in swapped order, or in projected metres.
CHINA_BBOX = (73.0, 3.0, 136.0, 54.0)
EARTH_RADIUS_M = 6_371_007.2  # authalic radius: the sphere with the ellipsoid's surface area
DEFAULT_TILING_TOLERANCE_M2 = 1.0


def tiling_tolerance_m2():
    """Overlaps and gaps at most this large (m²) are ignored: `GRIDS_TILING_TOLERANCE_M2`."""
    return float(getattr(settings, "GRIDS_TILING_TOLERANCE_M2", DEFAULT_TILING_TOLERANCE_M2))


def _ring_errors(ring, where):
    if not isinstance(ring, list) or not ring:
        return [_("%(where)s不是坐标点的列表。") % {"where": where}]
    errors = []
    for point in ring:
        if (
            not isinstance(point, list | tuple)
            or len(point) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in point[:2])
        ):
            return [
                _("%(where)s含有不是[经度, 纬度]的坐标：%(point)s。")
                % {"where": where, "point": point}
            ]
        if not all(math.isfinite(c) for c in point[:2]):
            return [_("%(where)s含有无效数字。") % {"where": where}]
    if len(ring) < 4:
        errors.append(
            _("%(where)s只有%(count)s个点；一个闭合的环至少需要4个点（首尾相同）。")
            % {"where": where, "count": len(ring)}
        )
    elif list(ring[0][:2]) != list(ring[-1][:2]):
        errors.append(
            _("%(where)s没有闭合：最后一个点%(last)s应与第一个点%(first)s相同。")
            % {"where": where, "first": list(ring[0][:2]), "last": list(ring[-1][:2])}
        )
    min_lon, min_lat, max_lon, max_lat = CHINA_BBOX
    for point in ring:
        lon, lat = point[0], point[1]
        if not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat):
            errors.append(
                _(
                    "%(where)s的坐标[%(lon)s, %(lat)s]不在中国范围内（经度73–136，纬度3–54）。"
                    "请确认坐标顺序是[经度, 纬度]，且为WGS84/CGCS2000经纬度。"
                )
                % {"where": where, "lon": lon, "lat": lat}
            )
            break
    return errors


def boundary_errors(value):
    """Every problem with a GeoJSON boundary, as messages an editor can act on ([] if valid)."""
    if value in (None, "", {}):
        return [_("请填写边界（GeoJSON的Polygon或MultiPolygon）。")]
    if not isinstance(value, dict):
        return [_('边界必须是GeoJSON对象，例如 {"type": "Polygon", "coordinates": [...]}。')]
    if value.get("type") == "Feature":
        value = value.get("geometry") or {}
    kind = value.get("type")
    coordinates = value.get("coordinates")
    if kind not in ("Polygon", "MultiPolygon"):
        return [_("边界的类型必须是Polygon或MultiPolygon，而不是%(kind)s。") % {"kind": kind}]
    if not isinstance(coordinates, list) or not coordinates:
        return [_("边界缺少坐标（coordinates）。")]
    polygons = [coordinates] if kind == "Polygon" else coordinates
    errors = []
    for p_index, polygon in enumerate(polygons, 1):
        if not isinstance(polygon, list) or not polygon:
            errors.append(_("第%(n)s个多边形没有环。") % {"n": p_index})
            continue
        for r_index, ring in enumerate(polygon):
            if r_index == 0:
                where = _("第%(n)s个多边形的外环") % {"n": p_index}
            else:
                where = _("第%(n)s个多边形的第%(r)s个内环") % {"n": p_index, "r": r_index}
            errors.extend(_ring_errors(ring, where))
    if errors:
        return errors
    geometry = shape(value)
    if not geometry.is_valid:
        reason = explain_validity(geometry)
        location = ""
        if "[" in reason:
            location = reason[reason.index("[") :]
            reason = reason[: reason.index("[")]
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            message = _("边界自相交（边与边交叉）")
        elif "Hole lies outside shell" in reason:
            message = _("内环（洞）位于外环之外")
        elif "Nested shells" in reason or "Self-intersection" in reason:
            message = _("多个多边形互相重叠")
        else:
            message = _("边界几何无效（%(reason)s）") % {"reason": reason.strip()}
        errors.append(
            _("%(message)s，位置约在%(location)s。请修正后再保存。")
            % {"message": message, "location": _lonlat_text(location)}
        )
    elif geometry.area == 0:
        errors.append(_("边界的面积为零。"))
    return errors


def _lonlat_text(location):
    text = location.strip("[] ")
    parts = text.split()
    if len(parts) >= 2:
        try:
            return f"{float(parts[0]):.6f}, {float(parts[1]):.6f}"
        except ValueError:
            pass
    return text or "?"


def validate_boundary(value):
    """Django validator: raise one ValidationError listing every problem with the boundary."""
    errors = boundary_errors(value)
    if errors:
        raise ValidationError(errors)


def to_shape(value):
    """The shapely geometry of a stored GeoJSON boundary (a Feature's geometry is accepted)."""
    if value.get("type") == "Feature":
        value = value["geometry"]
    return shape(value)


def same_shape(a, b, tolerance=1e-9):
    """True when two GeoJSON boundaries are the same shape: the same rings, whichever way they
    wind and wherever they start (a clockwise re-export of the same grid), to `tolerance`
    degrees (about 0.1 mm)."""
    if not a or not b:
        return a == b
    try:
        return to_shape(a).normalize().equals_exact(to_shape(b).normalize(), tolerance)
    except (AttributeError, KeyError, TypeError, ValueError, shapely.errors.GEOSException):
        return a == b


def to_geojson(geometry):
    """A plain GeoJSON dict of a shapely geometry, coordinates as lists."""
    data = mapping(geometry)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value):
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def _projector(lon0):
    """Project lon/lat degrees to sinusoidal metres around the meridian lon0 (equal-area)."""
    k = math.pi / 180.0

    def project(coords):
        lat = coords[:, 1] * k
        return np.column_stack(
            (EARTH_RADIUS_M * (coords[:, 0] - lon0) * k * np.cos(lat), EARTH_RADIUS_M * lat)
        )

    return project


def project_to_metres(geometry, lon0=None):
    """The geometry in equal-area metres; pass the same `lon0` to compare several shapes."""
    if lon0 is None:
        lon0 = geometry.centroid.x
    return shapely.transform(geometry, _projector(lon0))


def area_m2(geometry):
    """Area of a lon/lat geometry in square metres."""
    if geometry.is_empty:
        return 0.0
    return float(project_to_metres(geometry).area)


@dataclass
class TilingProblem:
    """One overlap, gap or overhang found by `check_tiling`."""

    kind: str  # "overlap" | "gap" | "outside"
    area_m2: float
    lon: float
    lat: float
    codes: tuple = ()

    def message(self):
        where = _("位置约在经度%(lon).6f、纬度%(lat).6f") % {"lon": self.lon, "lat": self.lat}
        size = round(self.area_m2, 1)
        if self.kind == "overlap":
            return _("%(a)s与%(b)s重叠%(size)s平方米，%(where)s。") % {
                "a": self.codes[0],
                "b": self.codes[1],
                "size": size,
                "where": where,
            }
        if self.kind == "outside":
            return _("%(a)s有%(size)s平方米超出上级区域%(parent)s，%(where)s。") % {
                "a": self.codes[0],
                "parent": self.codes[1],
                "size": size,
                "where": where,
            }
        return _("%(parent)s内有%(size)s平方米未被任何下级覆盖（缺口），%(where)s。") % {
            "parent": self.codes[0],
            "size": size,
            "where": where,
        }


@dataclass
class TilingReport:
    """What `check_tiling` found; `problems` larger than the tolerance only."""

    problems: list = field(default_factory=list)
    gap_m2: float = 0.0

    @property
    def ok(self):
        return not self.problems

    def of_kind(self, *kinds):
        return [problem for problem in self.problems if problem.kind in kinds]

    def messages(self):
        return [problem.message() for problem in self.problems]


def _pieces(geometry):
    if geometry.is_empty:
        return []
    if hasattr(geometry, "geoms"):
        return [piece for part in geometry.geoms for piece in _pieces(part)]
    if geometry.geom_type in ("Polygon",):
        return [geometry]
    return []


def check_tiling(parent_code, parent_shape, children, tolerance_m2=None):
    """Do `children` ([(code, shape)]) cover `parent_shape` with no overlap and no gap?

    Reports every overlap between two children, every gap and every piece of a child outside
    the parent that is larger than the tolerance (m²), with its size and a point inside it.
    """
    tolerance = tiling_tolerance_m2() if tolerance_m2 is None else tolerance_m2
    lon0 = parent_shape.centroid.x if parent_shape is not None else None
    report = TilingReport()
    if not children:
        return report
    projected = [(code, project_to_metres(geom, lon0)) for code, geom in children]
    if lon0 is None:
        lon0 = children[0][1].centroid.x
    inverse = _unprojector(lon0)

    def add(kind, piece, codes):
        size = piece.area
        if size > tolerance:
            point = shapely.transform(piece.representative_point(), inverse)
            report.problems.append(TilingProblem(kind, size, point.x, point.y, codes))

    tree = shapely.STRtree([geom for _code, geom in projected])
    for i, (code, geom) in enumerate(projected):
        for j in tree.query(geom):
            if j <= i:
                continue
            other_code, other = projected[j]
            overlap = geom.intersection(other)
            if overlap.area > tolerance:
                add("overlap", overlap, (code, other_code))
    if parent_shape is not None:
        parent_m = project_to_metres(parent_shape, lon0)
        for code, geom in projected:
            outside = geom.difference(parent_m)
            if outside.area > tolerance:
                add("outside", outside, (code, parent_code))
        union = shapely.union_all([geom for _code, geom in projected])
        gap = parent_m.difference(union)
        report.gap_m2 = gap.area
        for piece in _pieces(gap):
            add("gap", piece, (parent_code,))
    return report


def _unprojector(lon0):
    """The inverse of `_projector`: sinusoidal metres back to lon/lat degrees."""
    k = math.pi / 180.0

    def unproject(coords):
        lat = coords[:, 1] / EARTH_RADIUS_M
        return np.column_stack((lon0 + coords[:, 0] / (EARTH_RADIUS_M * np.cos(lat)) / k, lat / k))

    return unproject
