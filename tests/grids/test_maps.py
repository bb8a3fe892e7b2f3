"""Server-drawn SVG maps: linked and named grids, no outside requests unless tiles are on."""

import re

import pytest
from django.utils import translation
from shapely.geometry import shape

from grids.factories import ORIGIN, box
from grids.maps import MapItem, render_svg

LON, LAT = ORIGIN

pytestmark = pytest.mark.django_db


def items():
    return [
        MapItem(
            shape(box(LON, LAT, LON + 0.005, LAT + 0.01)),
            "甲",
            "/a/",
            "甲网格（G1），日常管理型",
            "#dcebd8",
        ),
        MapItem(
            shape(box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01)),
            "乙",
            "/b/",
            "乙网格（G2）",
            "#f6e7c8",
        ),
    ]


def test_each_grid_is_a_named_link_with_its_level_colour():
    """Every grid shape is wrapped in a link with an accessible name and filled by level."""
    svg = render_svg(items(), "测试地图")
    assert '<a href="/a/" aria-label="甲网格（G1），日常管理型">' in svg
    assert 'fill="#f6e7c8"' in svg
    assert ">甲</text>" in svg
    assert '<title id="grid-map-title">测试地图</title>' in svg


def test_map_makes_no_outside_requests_by_default():
    """Without a 天地图 key the map refers to nothing outside the page."""
    svg = render_svg(items(), "测试地图")
    assert "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert "<image" not in svg


def test_tiles_need_both_key_and_approval_number(settings):
    """A key alone does not turn tiles on: the 审图号 must be shown with them."""
    settings.GRIDS_TIANDITU_KEY = "k123"
    settings.GRIDS_MAP_APPROVAL_NUMBER = ""
    assert "<image" not in render_svg(items(), "测试地图")


def test_tiles_show_approval_number_and_attribution_lower_left(settings):
    """With key and number, 天地图 tiles appear and the credit sits at the lower left."""
    settings.GRIDS_TIANDITU_KEY = "k123"
    settings.GRIDS_MAP_APPROVAL_NUMBER = "GS（2099）0000号"
    with translation.override("zh-hans"):
        svg = render_svg(items(), "测试地图")
    assert "tianditu.gov.cn/vec_c/wmts" in svg and "tk=k123" in svg
    credit = svg[svg.index('class="grid-map__credit"') :]
    assert 'x="6"' in credit
    assert "审图号：GS（2099）0000号" in credit and "天地图" in credit


def test_grid_page_map_prints_without_javascript(client, grid):
    """The map is inline SVG in the HTML (no script needed) with print styles for colour."""
    html = client.get(grid.url).content.decode()
    assert "<svg" in html and "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    with open("static/css/grids.css", encoding="utf-8") as css:
        text = css.read()
    assert "print-color-adjust: exact" in text
    assert "size: A4" in text


def test_a_new_drawing_is_not_served_an_old_cached_map(grid, east_grid, rf, monkeypatch):
    """Maps are cached for a day under the tree's version; the drawing's number in the key
    keeps a map drawn by earlier code from being served after the drawing changes."""
    from grids import context

    request = rf.get("/")
    assert context.grid_map(grid, request).startswith("<svg")
    monkeypatch.setattr(context, "DRAWING", context.DRAWING + 1)
    monkeypatch.setattr(context, "render_svg", lambda *args, **kwargs: "<svg>redrawn</svg>")
    assert context.grid_map(grid, request) == "<svg>redrawn</svg>"


def test_neighbours_are_cut_to_the_frame_and_labelled_inside_it():
    """A neighbour reaching far outside the view is drawn only where it shows, its label
    inside the map; one of which only a sliver shows is neither a link nor labelled."""
    wide = MapItem(shape(box(LON + 0.005, LAT, LON + 0.5, LAT + 0.01)), "远邻", "/far/", "远邻")
    sliver = MapItem(shape(box(LON - 0.5, LAT, LON + 0.0001, LAT + 0.01)), "细条", "/thin/", "细条")
    here = MapItem(
        shape(box(LON, LAT, LON + 0.005, LAT + 0.01)),
        "本网格",
        "/here/",
        "本网格",
        "#fff",
        "current",
    )
    frame = shape(box(LON, LAT, LON + 0.008, LAT + 0.01))
    svg = render_svg([wide, sliver, here], "测试地图", frame_shape=frame)
    width = float(svg.split('viewBox="0 0 ', 1)[1].split(" ", 1)[0])
    xs = [float(n) for n in re.findall(r"[ML](-?[\d.]+) ", svg)]
    assert xs and all(-0.1 <= x <= width + 0.1 for x in xs)
    assert 'href="/far/"' in svg and ">远邻</text>" in svg
    assert 'href="/thin/"' not in svg and ">细条</text>" not in svg
    label_x = float(re.search(r'x="([\d.]+)"[^>]*>远邻</text>', svg).group(1))
    size = float(re.search(r'font-size="(\d+)"[^>]*>远邻</text>', svg).group(1))
    assert size * 1 <= label_x <= width - size
    current = float(re.search(r'font-size="(\d+)"[^>]*>本网格</text>', svg).group(1))
    assert current >= 30


def test_outlines_are_simplified_to_what_the_map_can_show():
    """A surveyed outline of 4,000 points is drawn with the few a 400-unit map can show."""
    import math

    from shapely.geometry import Polygon

    ring = [
        (
            LON + 0.01 * math.cos(2 * math.pi * i / 4000) * (1 + 0.0001 * (i % 2)),
            LAT + 0.01 * math.sin(2 * math.pi * i / 4000),
        )
        for i in range(4000)
    ]
    svg = render_svg([MapItem(Polygon(ring), "圆", "/c/", "圆网格")], "测试地图")
    points = len(re.findall(r"-?[0-9.]+", svg.split(' d="')[1].split('"')[0])) // 2
    assert 20 < points < 400
