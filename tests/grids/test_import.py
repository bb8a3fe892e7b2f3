"""import_grids: dry run by default, --commit writes, re-import changes nothing, tiling refused."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from grids.factories import ORIGIN, box
from grids.lookup import find_by_text
from grids.models import AreaPage, GridPage

LON, LAT = ORIGIN

pytestmark = pytest.mark.django_db


def feature(kind, code, name, parent, boundary, **props):
    return {
        "type": "Feature",
        "properties": {"kind": kind, "code": code, "name": name, "parent": parent, **props},
        "geometry": boundary,
    }


def collection(west_east=0.005, households=200):
    return {
        "type": "FeatureCollection",
        "features": [
            feature(
                "area",
                "S1",
                "导入街道",
                "",
                box(LON, LAT, LON + 0.01, LAT + 0.01),
                level_name="街道",
            ),
            feature(
                "area",
                "S1C1",
                "导入社区",
                "S1",
                box(LON, LAT, LON + 0.01, LAT + 0.01),
                level_name="社区",
            ),
            feature(
                "grid",
                "S1C1001",
                "导入一网格",
                "S1C1",
                box(LON, LAT, LON + west_east, LAT + 0.01),
                level="日常管理型",
                households=households,
                population=400,
            ),
            feature(
                "grid",
                "S1C1002",
                "导入二网格",
                "S1C1",
                box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01),
                level="重点关注型",
                households=150,
                population=300,
            ),
        ],
    }


@pytest.fixture
def files(tmp_path):
    def write(
        data, addresses="grid_code,place,from,to\nS1C1001,导入路,1,20\nS1C1002,导入路,21,40\n"
    ):
        geo = tmp_path / "areas.geojson"
        geo.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        csv = tmp_path / "addresses.csv"
        csv.write_text(addresses, encoding="utf-8")
        return str(geo), str(csv)

    return write


def run(*args):
    out = io.StringIO()
    call_command("import_grids", *args, stdout=out)
    return out.getvalue()


def test_dry_run_says_what_it_would_create_and_writes_nothing(files, home_page):
    """Without --commit the command lists the four creations and writes nothing."""
    geo, csv = files(collection())
    out = run(geo, "--addresses", csv)
    assert "新建  区域 S1（导入街道）" in out
    assert "新建  网格 S1C1002（导入二网格）" in out
    assert "试运行" in out
    assert not AreaPage.objects.filter(code="S1").exists()


def test_commit_creates_published_pages_with_addresses(files, home_page):
    """With --commit the areas and grids are created under the home page, live, with addresses."""
    geo, csv = files(collection())
    run(geo, "--addresses", csv, "--commit")
    top = AreaPage.objects.get(code="S1")
    assert top.get_parent().pk == home_page.pk and top.live
    grid = GridPage.objects.get(code="S1C1002")
    assert grid.live and grid.level.name == "重点关注型" and grid.households == 150
    assert [str(a) for a in grid.addresses.all()] == ["导入路 21–40"]
    assert [m.pk for m in find_by_text("导入路25号")] == [grid.pk]


def test_reimport_changes_nothing(files, home_page):
    """Importing the same files again reports everything unchanged and writes no revision."""
    geo, csv = files(collection())
    run(geo, "--addresses", csv, "--commit")
    from wagtail.models import Revision

    revisions = Revision.objects.count()
    out = run(geo, "--addresses", csv, "--commit")
    assert out.count("不变  ") == 4
    assert "新建0，修改0，不变4，拒绝0" in out
    assert Revision.objects.count() == revisions


def test_changed_values_are_reported_and_applied(files, home_page):
    """A changed household count is reported as a change and written on --commit."""
    geo, csv = files(collection())
    run(geo, "--addresses", csv, "--commit")
    geo, csv = files(collection(households=222))
    out = run(geo, "--addresses", csv)
    assert "修改  网格 S1C1001（导入一网格）：households" in out
    run(geo, "--addresses", csv, "--commit")
    assert GridPage.objects.get(code="S1C1001").households == 222


def test_overlap_refuses_the_whole_import(files, home_page):
    """Overlapping grids are named with the overlap size, and nothing at all is written."""
    geo, csv = files(collection(west_east=0.006))
    with pytest.raises(CommandError, match="没有写入任何数据"):
        run(geo, "--addresses", csv, "--commit")
    assert not AreaPage.objects.filter(code="S1").exists()
    assert not GridPage.objects.exists()


def test_tiling_errors_are_printed_per_feature(files, home_page):
    """The refused features list the overlap with both codes and the gap of the area."""
    geo, csv = files(collection(west_east=0.006))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, stdout=out)
    text = out.getvalue()
    assert "拒绝  网格 S1C1001（导入一网格）" in text
    assert "S1C1001与S1C1002重叠" in text
    geo, csv = files(collection(west_east=0.004))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, stdout=out)
    assert "缺口" in out.getvalue()


def test_moving_a_border_between_two_grids_is_possible(files, home_page):
    """Import changes two neighbours at once, which the admin's one-page publish cannot."""
    geo, csv = files(collection())
    run(geo, "--commit")
    data = collection(west_east=0.004)
    data["features"][3]["geometry"] = box(LON + 0.004, LAT, LON + 0.01, LAT + 0.01)
    geo, csv = files(data)
    run(geo, "--commit")
    assert GridPage.objects.get(code="S1C1002").min_lon == pytest.approx(LON + 0.004)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f["properties"].update(level="不存在的等级"), "不在等级列表中"),
        (lambda f: f["properties"].update(parent="NOPE"), "上级区域NOPE不存在"),
        (lambda f: f["properties"].update(households="many"), "households必须是非负整数"),
        (lambda f: f["properties"].update(kind="street"), "kind必须是area或grid"),
        (
            lambda f: f.update(
                geometry={"type": "Polygon", "coordinates": [[[LON, LAT], [LON, LAT]]]}
            ),
            "至少需要4个点",
        ),
    ],
)
def test_bad_features_are_refused_with_a_reason(files, home_page, change, expected):
    """Unknown level, missing parent, bad numbers, bad kind and bad geometry are refused."""
    data = collection()
    change(data["features"][2])
    geo, _csv = files(data)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, "--commit", stdout=out)
    assert expected in out.getvalue()
    assert not AreaPage.objects.filter(code="S1").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("not json", "不是有效的JSON"),
        ('{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_unusable_files_get_a_clear_error(tmp_path, content, expected):
    """A file that is not a FeatureCollection stops the command with a message."""
    path = tmp_path / "bad.geojson"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=expected):
        run(str(path))


def test_bad_address_rows_refuse_the_import(files, home_page):
    """An address row with a wrong range or an unknown grid refuses the import."""
    geo, csv = files(collection(), "grid_code,place,from,to\nS1C1001,导入路,9,2\nZZZ,某路,,\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, "--addresses", csv, stdout=out)
    assert "号码范围不正确" in out.getvalue()
    assert "ZZZ" in out.getvalue()


def test_grid_code_must_extend_its_parent_code(files, home_page):
    """A grid whose code does not start with its area's code is refused."""
    data = collection()
    data["features"][2]["properties"]["code"] = "X1"
    geo, _csv = files(data)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, stdout=out)
    assert "网格编码应以上级区域的编码S1C1开头" in out.getvalue()


# Real GIS files: GBK CSVs, shapefile property names, winding, limits, coordinate systems.


def test_gbk_csv_from_excel_is_read(files, tmp_path, home_page):
    """A CSV saved by Chinese Excel (GBK) is read like UTF-8; header case does not matter."""
    geo, _csv = files(collection())
    path = tmp_path / "gbk.csv"
    path.write_bytes("Grid_Code,PLACE,From,To\r\nS1C1002,导入路,21,40\r\n".encode("gbk"))
    run(geo, "--addresses", str(path), "--commit")
    grid = GridPage.objects.get(code="S1C1002")
    assert [str(a) for a in grid.addresses.all()] == ["导入路 21–40"]


@pytest.mark.parametrize(
    "content",
    [
        # UTF-8 up to a stray Latin-1 byte on line 3: not read as GB18030 nonsense.
        "grid_code,place,from,to\nS1C1001,导入路,1,20\n".encode() + b"S1C1002,caf\xe9,21,40\n",
        # Bytes neither UTF-8 nor GB18030 can hold.
        b"grid_code,place,from,to\nS1C1001,a,1,2\nS1C1002,\xff\xff,21,40\n",
    ],
)
def test_csv_in_an_unknown_encoding_is_refused_with_file_and_line(
    files, tmp_path, home_page, content
):
    geo, _csv = files(collection())
    path = tmp_path / "broken.csv"
    path.write_bytes(content)
    with pytest.raises(CommandError) as refused:
        run(geo, "--addresses", str(path))
    assert f"{path}第3行" in str(refused.value)
    assert "UTF-8" in str(refused.value)


def test_address_row_errors_name_the_file_and_line(files, home_page):
    geo, csv = files(collection(), "grid_code,place,from,to\nS1C1001,导入路,9,2\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, "--addresses", csv, stdout=out)
    assert f"{csv}第2行的号码范围不正确" in out.getvalue()


def test_summary_counts_refused_rows_that_belong_to_no_feature(files, home_page):
    """Bad address rows refuse the import, and the summary says how many were refused."""
    geo, csv = files(collection(), "grid_code,place,from,to\nS1C1001,导入路,9,2\nZZZ,某路,,\n")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_grids", geo, "--addresses", csv, stdout=out)
    assert "新建4，修改0，不变0，拒绝2。" in out.getvalue()


def test_property_names_match_without_regard_to_case(files, home_page):
    """Shapefile exports write CODE, NAME, KIND …: they are the same properties."""
    data = collection()
    for item in data["features"]:
        item["properties"] = {key.upper(): value for key, value in item["properties"].items()}
    geo, _csv = files(data)
    run(geo, "--commit")
    grid = GridPage.objects.get(code="S1C1002")
    assert grid.title == "导入二网格" and grid.households == 150
    assert AreaPage.objects.get(code="S1C1").level == "community"


def test_clockwise_reexport_from_another_start_is_unchanged(files, home_page):
    """The same rings wound the other way and starting elsewhere are the same shape."""
    geo, _csv = files(collection())
    run(geo, "--commit")
    data = collection()
    for item in data["features"]:
        ring = item["geometry"]["coordinates"][0][:-1]
        ring = list(reversed(ring[2:] + ring[:2]))
        item["geometry"]["coordinates"] = [[*ring, ring[0]]]
    geo, _csv = files(data)
    out = run(geo)
    assert "新建0，修改0，不变4，拒绝0" in out


def test_a_file_above_the_size_limit_is_refused_before_reading(files, settings, home_page):
    settings.GRIDS_IMPORT_MAX_MB = 1
    data = collection()
    data["padding"] = "x" * (1024 * 1024)
    geo, _csv = files(data)
    with pytest.raises(CommandError, match=r"超过导入上限1 MB（GRIDS_IMPORT_MAX_MB）"):
        run(geo)


def test_too_many_vertices_are_refused_with_the_count(files, settings, home_page):
    settings.GRIDS_IMPORT_MAX_VERTICES = 15
    geo, _csv = files(collection())
    with pytest.raises(CommandError, match=r"共有20个坐标点，超过导入上限15个"):
        run(geo)


@pytest.mark.parametrize("system", ["gcj02", "bd09"])
def test_crs_converts_web_map_coordinates_on_import(files, home_page, system):
    """A file drawn on Gaode (GCJ-02) or Baidu (BD-09) is stored in WGS84, within 1 cm."""
    from grids.coords import from_wgs84

    data = collection()
    expected = json.loads(json.dumps(data))
    for item in data["features"]:
        ring = item["geometry"]["coordinates"][0]
        item["geometry"]["coordinates"] = [[list(from_wgs84(*p, system)) for p in ring]]
    geo, _csv = files(data)
    run(geo, "--crs", system, "--commit")
    stored = GridPage.objects.get(code="S1C1001").boundary["coordinates"][0]
    wanted = expected["features"][2]["geometry"]["coordinates"][0]
    for (lon, lat), (want_lon, want_lat) in zip(stored, wanted, strict=True):
        assert lon == pytest.approx(want_lon, abs=1e-7)
        assert lat == pytest.approx(want_lat, abs=1e-7)


def test_without_crs_web_map_coordinates_would_not_tile(files, home_page):
    """The same GCJ-02 file read as WGS84 lands hundreds of metres off: outside its area."""
    from grids.coords import from_wgs84

    data = collection()
    for item in data["features"][2:]:
        ring = item["geometry"]["coordinates"][0]
        item["geometry"]["coordinates"] = [[list(from_wgs84(*p, "gcj02")) for p in ring]]
    geo, _csv = files(data)
    with pytest.raises(CommandError):
        run(geo)


def _write_gis(path, data, driver):
    """Write the collection with GDAL (pyogrio), as QGIS or ArcGIS would export it."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    features = data["features"]
    names = ["KIND", "CODE", "NAME", "PARENT", "LEVEL_NAME", "LEVEL"]
    columns = [
        np.array([str(f["properties"].get(name.lower(), "")) for f in features], dtype=object)
        for name in names
    ]
    names.append("HOUSEHOLDS")
    columns.append(np.array([int(f["properties"].get("households", 0)) for f in features]))
    geometry = np.array(
        [shapely.to_wkb(shapely.geometry.shape(f["geometry"])) for f in features], dtype=object
    )
    write(
        str(path),
        geometry,
        columns,
        names,
        driver=driver,
        crs="EPSG:4490",
        geometry_type="Polygon",
        encoding="UTF-8",
    )


@pytest.mark.skipif(
    not __import__("grids.import_files", fromlist=["gis_available"]).gis_available(),
    reason="the optional GDAL bindings (pip install 'grid-portal[gis]': pyogrio) are not installed",
)
@pytest.mark.parametrize("kind", ["gpkg", "zip"])
def test_shapefile_zip_and_geopackage_go_through_the_same_path(tmp_path, home_page, kind):
    import zipfile

    data = collection()
    if kind == "gpkg":
        path = tmp_path / "grids.gpkg"
        _write_gis(path, data, "GPKG")
    else:
        _write_gis(tmp_path / "grids.shp", data, "ESRI Shapefile")
        path = tmp_path / "grids.zip"
        with zipfile.ZipFile(path, "w") as archive:
            for part in tmp_path.glob("grids.*"):
                if part.suffix != ".zip":
                    archive.write(part, part.name)
    out = run(str(path), "--commit")
    assert "新建4，修改0，不变0，拒绝0" in out
    grid = GridPage.objects.get(code="S1C1002")
    assert grid.title == "导入二网格" and grid.households == 150
