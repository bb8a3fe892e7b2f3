"""Reading the files `import_grids` takes: GeoJSON, a zipped shapefile or a GeoPackage (through
GDAL, when the optional `pyogrio` is installed), and the addresses CSV in UTF-8 or GB18030/GBK
(what Chinese Excel writes).

Every file goes through one path: checked against the size limit, read into GeoJSON features
(property names are matched without regard to case later), converted from the file's
coordinate system to WGS84, and counted against the vertex limit. Anything unusable is a
ValueError whose message names the file (and the line, for text).
"""

import codecs
import csv
import io
import json
import math
import os

from django.conf import settings
from django.utils.translation import gettext as _

from .coords import WGS84, geometry_to_wgs84

GIS_SUFFIXES = (".zip", ".shp", ".gpkg")
# A GIS file's own coordinate system, when it names one, must be longitude/latitude.
GEOGRAPHIC_CRS = {"EPSG:4326", "EPSG:4490", "OGC:CRS84"}


def max_bytes():
    return int(settings.GRIDS_IMPORT_MAX_MB * 1024 * 1024)


def check_size(path):
    """Refuse a file above GRIDS_IMPORT_MAX_MB before reading it (a 50 MB GeoJSON takes about
    1.6 GB of memory once parsed)."""
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise ValueError(
            _("无法读取文件%(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    if size > max_bytes():
        raise ValueError(
            _(
                "文件%(path)s有%(size).1f MB，超过导入上限%(limit)s MB（GRIDS_IMPORT_MAX_MB）。"
                "请按街道或社区分成几个文件分别导入，或在GIS软件中简化边界后再导入。"
            )
            % {"path": path, "size": size / 1024 / 1024, "limit": settings.GRIDS_IMPORT_MAX_MB}
        )


def count_vertices(geometry):
    """The number of positions in a GeoJSON geometry (0 for anything that is not one)."""
    if not isinstance(geometry, dict):
        return 0

    def count(value):
        if isinstance(value, list) and value and isinstance(value[0], list):
            return sum(count(item) for item in value)
        return 1 if isinstance(value, list) else 0

    return count(geometry.get("coordinates"))


def check_vertices(path, features):
    limit = settings.GRIDS_IMPORT_MAX_VERTICES
    total = sum(
        count_vertices(feature.get("geometry")) for feature in features if isinstance(feature, dict)
    )
    if total > limit:
        raise ValueError(
            _(
                "文件%(path)s的边界共有%(count)s个坐标点，超过导入上限%(limit)s个"
                "（GRIDS_IMPORT_MAX_VERTICES）。请分成几个文件导入，或简化边界"
                "（社区和网格边界通常每个不超过几百个点）。"
            )
            % {"path": path, "count": total, "limit": limit}
        )


def read_features(path, crs=WGS84):
    """The GeoJSON features of a file, with their geometry in WGS84; ValueError if unusable."""
    check_size(path)
    read = _read_gis if str(path).lower().endswith(GIS_SUFFIXES) else _read_geojson
    features = read(path)
    check_vertices(path, features)
    return [
        {**feature, "geometry": geometry_to_wgs84(feature.get("geometry"), crs)}
        if isinstance(feature, dict)
        else feature
        for feature in features
    ]


def _read_geojson(path):
    try:
        with open(path, "rb") as handle:
            data = json.loads(handle.read().decode("utf-8-sig"))
    except OSError as error:
        raise ValueError(
            _("无法读取文件%(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(
            _("%(path)s不是有效的JSON：%(error)s") % {"path": path, "error": error}
        ) from error
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise ValueError(_("GeoJSON文件必须是一个FeatureCollection。"))
    features = data.get("features")
    if not isinstance(features, list):
        raise ValueError(_("FeatureCollection缺少features列表。"))
    return features


def gis_available():
    """True when the optional GDAL bindings (pyogrio) are installed."""
    try:
        import pyogrio  # noqa: F401
    except ImportError:
        return False
    return True


def _plain(value):
    """A field value from GDAL as a plain Python value (numpy scalars, NaN as None)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def _read_gis(path):
    """Features of every layer of a shapefile (zipped or not) or a GeoPackage, through GDAL."""
    if not gis_available():
        raise ValueError(
            _(
                "读取%(path)s（Shapefile或GeoPackage）需要GDAL：请安装可选组件 "
                "pip install 'grid-portal[gis]'，或先在QGIS中另存为GeoJSON。"
            )
            % {"path": path}
        )
    import pyogrio
    import shapely
    from pyogrio.errors import DataLayerError, DataSourceError

    try:
        layers = [name for name, _kind in pyogrio.list_layers(path)]
        features = []
        for layer in layers:
            meta, _fids, geometries, values = pyogrio.raw.read(path, layer=layer)
            crs = meta.get("crs")
            if crs and crs.upper() not in GEOGRAPHIC_CRS:
                raise ValueError(
                    _(
                        "%(path)s的图层%(layer)s使用坐标系%(crs)s，不是经纬度。请先在QGIS或"
                        "ArcGIS中转换为CGCS2000（EPSG:4490）或WGS84（EPSG:4326）经纬度再导入。"
                    )
                    % {"path": path, "layer": layer, "crs": crs}
                )
            names = list(meta["fields"])
            for index, wkb in enumerate(geometries):
                geometry = None
                if wkb is not None:
                    geometry = json.loads(shapely.to_geojson(shapely.from_wkb(wkb)))
                properties = {
                    name: _plain(column[index]) for name, column in zip(names, values, strict=True)
                }
                features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    except (DataSourceError, DataLayerError, OSError) as error:
        raise ValueError(
            _("无法读取文件%(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    return features


def decode_text(path, data):
    """The text of a CSV in UTF-8 (with or without BOM) or GB18030 (which includes GBK); a file
    in neither is refused with the line of the first character that cannot be read. A file that
    is UTF-8 up to one broken character is refused, not read as GB18030 nonsense."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        bad = error.start
    if data[:bad].removeprefix(codecs.BOM_UTF8).isascii():
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as error:
            bad = error.start
    raise ValueError(
        _(
            "%(path)s第%(line)s行的文字既不是UTF-8也不是GBK/GB18030编码，无法读取。"
            "请在Excel中另存为“CSV UTF-8（逗号分隔）”后再导入。"
        )
        % {"path": path, "line": data[:bad].count(b"\n") + 1}
    )


ADDRESS_COLUMNS = ("grid_code", "place", "from", "to")


def read_addresses(path):
    """{grid code: [(place, from, to)]} from the CSV, and a list of row errors, each naming the
    file and the line. Column names are matched without regard to case or spaces."""
    check_size(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise ValueError(
            _("无法读取文件%(path)s：%(error)s") % {"path": path, "error": error}
        ) from error
    reader = csv.reader(io.StringIO(decode_text(path, data), newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    missing = set(ADDRESS_COLUMNS) - set(header)
    if missing:
        raise ValueError(
            _("%(path)s缺少列：%(columns)s（需要 grid_code,place,from,to）。")
            % {"path": path, "columns": ", ".join(sorted(missing))}
        )
    position = {name: header.index(name) for name in ADDRESS_COLUMNS}
    result, errors = {}, []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: (row[i] if i < len(row) else "").strip() for name, i in position.items()}
        where = _("%(path)s第%(line)s行") % {"path": path, "line": line}
        row_errors = []
        if not cells["grid_code"] or not cells["place"]:
            row_errors.append(_("%(where)s缺少grid_code或place。") % {"where": where})
        low = _optional_number(cells["from"], where, "from", row_errors)
        high = _optional_number(cells["to"], where, "to", row_errors)
        if high is not None and (low is None or high < low):
            row_errors.append(_("%(where)s的号码范围不正确。") % {"where": where})
        if row_errors:
            errors.extend(row_errors)
            continue
        result.setdefault(cells["grid_code"], []).append((cells["place"], low, high))
    return result, errors


def _optional_number(value, where, name, errors):
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        errors.append(
            _("%(where)s的%(name)s不是整数：%(value)s")
            % {"where": where, "name": name, "value": value}
        )
        return None
    return int(value)
