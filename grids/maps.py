"""Server-drawn SVG maps of areas and grids: no outside requests, printable, no JavaScript.

Each grid is a link (`<a>` with an accessible name) around its shape and label. Coordinates
are projected onto a plane scaled by cos(latitude), which keeps shapes true at city scale.

Maps are drawn for a phone first: 400 units wide, so on a 320 px screen (about 290 px for the
map) a unit is about 0.7 px and the smallest label (18 units) is still 12 px; the grid a page is
about gets a larger label. Shapes are cut to the map's frame, so a neighbour's link, shape and
label lie inside the visible map (no Tab stop off the map, no label cut at the edge); a
neighbour of which too little shows to tap or label is drawn without a link or label.
Outlines are simplified to half a map unit (detail the map cannot show is not sent) and written
as relative moves in tenths. An area's map draws its children, not every grid below
(grids.context.area_map): its size grows with one level of the tree, not with the city.
Optional 天地图 base tiles (lon/lat tile matrix "c") appear only when a key is configured, with
the map approval number (审图号) and attribution at the lower left.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _
from shapely.geometry import box

from .geometry import to_shape

# Part of each cached map's key: raise it when the drawing changes, so maps drawn by the code
# before are not served after a deployment (they are kept for a day under the tree's version).
DRAWING = 4
WIDTH = 400
PADDING = 8
LABEL_MIN, LABEL_MAX = 18, 28
CURRENT_LABEL_MIN, CURRENT_LABEL_MAX = 30, 36
# Outlines are simplified to this many map units (about a third of a pixel on a phone): detail
# the map cannot show is not sent.
SIMPLIFY_UNITS = 0.5
# A shape cut to the frame smaller than this (in map units, each way) is not a link.
LINK_MIN_SIZE = 24
CREDIT_SIZE = 14
FADED_FILL = "#ececec"
DEFAULT_FILL = "#e6eef7"
INK = "#1a1a1a"


@dataclass
class MapItem:
    """One shape on a map: a grid or an area, with its link and label."""

    shape: object
    label: str
    url: str = ""
    accessible_name: str = ""
    fill: str = DEFAULT_FILL
    emphasis: str = "normal"  # "normal" | "current" | "faded" | "outline"


class _Frame:
    def __init__(self, bounds):
        min_lon, min_lat, max_lon, max_lat = bounds
        self.lat0 = (min_lat + max_lat) / 2
        self.kx = math.cos(math.radians(self.lat0))
        span_x = max((max_lon - min_lon) * self.kx, 1e-9)
        span_y = max(max_lat - min_lat, 1e-9)
        self.scale = (WIDTH - 2 * PADDING) / max(span_x, span_y * 0.2)
        if span_y * self.scale > 1.2 * WIDTH:
            self.scale = 1.2 * WIDTH / span_y
        self.min_lon, self.max_lat = min_lon, max_lat
        self.width = WIDTH
        self.height = round(span_y * self.scale + 2 * PADDING)
        self.offset_x = (WIDTH - span_x * self.scale) / 2

    def xy(self, lon, lat):
        x = self.offset_x + (lon - self.min_lon) * self.kx * self.scale
        y = PADDING + (self.max_lat - lat) * self.scale
        return x, y

    def path(self, geometry):
        parts = []
        polygons = geometry.geoms if hasattr(geometry, "geoms") else [geometry]
        for polygon in polygons:
            if polygon.geom_type != "Polygon":
                continue
            for ring in [polygon.exterior, *polygon.interiors]:
                # Tenths of a unit, each point relative to the one before ("l"): the same
                # shape in about two thirds of the text.
                points = [
                    (round(x * 10), round(y * 10))
                    for x, y in (self.xy(lon, lat) for lon, lat in ring.coords[:-1])
                ]
                if not points:
                    continue
                (x0, y0), *tail = points
                numbers = []
                previous = (x0, y0)
                for x, y in tail:
                    if (x, y) != previous:
                        numbers += [_tenths(x - previous[0]), _tenths(y - previous[1])]
                    previous = (x, y)
                moves = "".join(numbers[:1] + [_signed(n) for n in numbers[1:]])
                parts.append(f"M{_tenths(x0)}{_signed(_tenths(y0))}l{moves}z")
        return "".join(parts)


def _tenths(value):
    """An integer number of tenths as the shortest SVG number: 12 → "1.2", -10 → "-1"."""
    whole, tenth = divmod(abs(value), 10)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}" if not tenth else f"{sign}{whole}.{tenth}"


def _signed(text):
    """A number following another in a path: a space unless its minus sign separates them."""
    return text if text.startswith("-") else " " + text


def simplified(geometry, frame):
    """`geometry` without detail smaller than SIMPLIFY_UNITS on this map (topology kept)."""
    if geometry.is_empty:
        return geometry
    return geometry.simplify(SIMPLIFY_UNITS / frame.scale, preserve_topology=True)


def _extent(frame, geometry):
    """Width and height of `geometry` on the map, in map units."""
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    return (max_lon - min_lon) * frame.kx * frame.scale, (max_lat - min_lat) * frame.scale


def _font_size(frame, geometry, label, current=False):
    width, _height = _extent(frame, geometry)
    size = width / max(len(label), 1) * 0.9
    if current:
        return max(CURRENT_LABEL_MIN, min(CURRENT_LABEL_MAX, size))
    return max(LABEL_MIN, min(LABEL_MAX, size))


def _label_position(frame, x, y, label, size):
    """(x, y) moved just enough for the whole label to lie inside the map."""
    half = len(label) * size / 2 + 4  # CJK characters are about one em wide
    x = min(max(x, half), frame.width - half) if 2 * half < frame.width else frame.width / 2
    y = min(max(y, size / 2 + 4), frame.height - size / 2 - 4)
    return x, y


def tiles_enabled():
    """Base tiles are on only when both the 天地图 key and the map approval number are set."""
    return bool(getattr(settings, "GRIDS_TIANDITU_KEY", "")) and bool(
        getattr(settings, "GRIDS_MAP_APPROVAL_NUMBER", "")
    )


def _tiles(frame, bounds):
    """<image> elements for 天地图 vector tiles (matrix set "c", lon/lat) covering `bounds`."""
    key = settings.GRIDS_TIANDITU_KEY
    min_lon, min_lat, max_lon, max_lat = bounds
    span = max(max_lon - min_lon, max_lat - min_lat, 1e-6)
    # At level z of matrix set "c" a 256 px tile spans 180 / 2**(z-1) degrees.
    z = max(1, min(18, int(math.log2(180 / span)) + 2))
    degrees = 180 / 2 ** (z - 1)
    elements = []
    for layer in ("vec", "cva"):
        for col in range(int((min_lon + 180) // degrees), int((max_lon + 180) // degrees) + 1):
            for row in range(int((90 - max_lat) // degrees), int((90 - min_lat) // degrees) + 1):
                lon = col * degrees - 180
                lat = 90 - row * degrees
                x0, y0 = frame.xy(lon, lat)
                x1, y1 = frame.xy(lon + degrees, lat - degrees)
                url = (
                    f"https://t{(col + row) % 8}.tianditu.gov.cn/{layer}_c/wmts?SERVICE=WMTS"
                    f"&amp;REQUEST=GetTile&amp;VERSION=1.0.0&amp;LAYER={layer}&amp;STYLE=default"
                    f"&amp;TILEMATRIXSET=c&amp;FORMAT=tiles&amp;TILEMATRIX={z}"
                    f"&amp;TILEROW={row}&amp;TILECOL={col}&amp;tk={escape(key)}"
                )
                elements.append(
                    f'<image href="{url}" x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" '
                    f'height="{y1 - y0:.1f}" preserveAspectRatio="none"/>'
                )
    return elements


def render_svg(items, title, frame_shape=None, map_id="grid-map"):
    """An accessible SVG map of `items`; `frame_shape` (default: all items) sets the view, and
    every shape is cut to it."""
    shapes = [item.shape for item in items if not item.shape.is_empty]
    if frame_shape is None and not shapes:
        return ""
    if frame_shape is not None:
        bounds = frame_shape.bounds
    else:
        bounds = (
            min(s.bounds[0] for s in shapes),
            min(s.bounds[1] for s in shapes),
            max(s.bounds[2] for s in shapes),
            max(s.bounds[3] for s in shapes),
        )
    frame = _Frame(bounds)
    view = box(*bounds)
    title_id = f"{map_id}-title"
    out = [
        f'<svg class="grid-map" id="{map_id}" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" '
        f'height="{frame.height}" role="group" aria-labelledby="{title_id}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<clipPath id="{map_id}-clip"><rect x="0" y="0" width="{frame.width}" '
        f'height="{frame.height}"/></clipPath>',
        f'<g clip-path="url(#{map_id}-clip)">',
    ]
    with_tiles = tiles_enabled()
    if with_tiles:
        out.append('<g class="grid-map__tiles" aria-hidden="true">')
        out.extend(_tiles(frame, bounds))
        out.append("</g>")
    order = {"faded": 0, "outline": 1, "normal": 2, "current": 3}
    labels = []
    for item in sorted(items, key=lambda i: order[i.emphasis]):
        shape = item.shape if item.emphasis == "outline" else item.shape.intersection(view)
        shape = simplified(shape, frame)
        d = frame.path(shape)
        if not d:
            continue
        css = f"grid-map__shape grid-map__shape--{item.emphasis}"
        if item.emphasis == "outline":
            out.append(f'<path class="{css}" d="{d}" fill="none" aria-hidden="true"/>')
            continue
        fill = FADED_FILL if item.emphasis == "faded" else item.fill
        opacity = ' fill-opacity="0.75"' if with_tiles else ""
        shape_svg = f'<path class="{css}" d="{d}" fill="{escape(fill)}"{opacity}/>'
        if min(_extent(frame, shape)) < LINK_MIN_SIZE and item.emphasis != "current":
            out.append(shape_svg.replace("<path ", '<path aria-hidden="true" ', 1))
            continue
        point = shape.representative_point()
        size = _font_size(frame, shape, item.label, current=item.emphasis == "current")
        x, y = _label_position(frame, *frame.xy(point.x, point.y), item.label, size)
        label = (
            f'<text class="grid-map__label grid-map__label--{item.emphasis}" x="{x:.1f}" '
            f'y="{y:.1f}" font-size="{size:.0f}">{escape(item.label)}</text>'
        )
        if item.url:
            name = escape(item.accessible_name or item.label)
            out.append(f'<a href="{escape(item.url)}" aria-label="{name}">{shape_svg}</a>')
        else:
            out.append(shape_svg)
        labels.append(label)
    # Labels are drawn above every shape, hidden from screen readers (each link carries the
    # name) and transparent to the pointer, so a click on a label reaches the grid's link.
    out.append(
        '<g class="grid-map__labels" aria-hidden="true" text-anchor="middle" '
        'dominant-baseline="middle">'
    )
    out.extend(labels)
    out.append("</g>")
    out.append("</g>")
    if with_tiles:
        note = _("审图号：%(number)s　底图：天地图") % {
            "number": settings.GRIDS_MAP_APPROVAL_NUMBER
        }
        line = CREDIT_SIZE + 8
        out.append(
            f'<rect x="0" y="{frame.height - line}" width="{len(note) * CREDIT_SIZE + 12}" '
            f'height="{line}" fill="#ffffff" fill-opacity="0.9"/>'
            f'<text class="grid-map__credit" x="6" y="{frame.height - 7}" '
            f'font-size="{CREDIT_SIZE}">{escape(note)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def area_items(areas, url_for=None):
    """Map items for child areas: linked and labelled like grids, in the default colour."""
    return [
        MapItem(
            shape=to_shape(area.boundary),
            label=area.title,
            url=url_for(area) if url_for else "",
            accessible_name=f"{area.title}（{area.get_level_display()}）",
        )
        for area in areas
    ]


def grid_items(grids, current=None, url_for=None):
    """Map items for grids: coloured by level, `current` emphasised and the others faded."""
    items = []
    for grid in grids:
        level = grid.level.name if grid.level_id and grid.level else ""
        name = f"{grid.title}（{grid.code}）"
        if level:
            name += f"，{level}"
        emphasis = "normal"
        if current is not None:
            emphasis = "current" if grid.pk == current.pk else "faded"
        items.append(
            MapItem(
                shape=to_shape(grid.boundary),
                label=grid.title,
                url=url_for(grid) if url_for else "",
                accessible_name=name,
                fill=(grid.level.colour if grid.level_id and grid.level else DEFAULT_FILL),
                emphasis=emphasis,
            )
        )
    return items
