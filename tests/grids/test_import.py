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
