"""A synthetic city for benchmarks: subdistricts (街道) of communities (社区) of grids,
as GeoJSON features the importer reads, and address rows for its grids.

The areas are rectangles of grid cells on one lattice. Every cell edge has a few points shifted
sideways (the same points for the two cells that share the edge), so boundaries have the detail
of real surveyed outlines while the areas still tile exactly. Everything is deterministic.
"""

import math
from dataclasses import dataclass

WEST, SOUTH = 116.20, 39.75
CELL_LON, CELL_LAT = 0.003, 0.002  # about 260 m × 220 m at 40°N
EDGE_POINTS = 8  # points inside each cell edge
JITTER = 0.08  # of a cell, sideways
LANES = "明华希望和平幸福光明建设人民胜利团结解放友谊长安新华东风红星朝阳文化振兴繁荣"


@dataclass(frozen=True)
class CityShape:
    subdistricts: int = 10
    communities: int = 10  # per subdistrict
    grids: int = 100  # per community

    @property
    def total_grids(self):
        return self.subdistricts * self.communities * self.grids


def _factors(n):
    """(columns, rows) with columns × rows = n, as near a square as n allows."""
    rows = int(math.isqrt(n))
    while n % rows:
        rows -= 1
    return n // rows, rows


def _offset(kind, line, segment, point):
    """The sideways shift of one edge point, the same whoever asks for it (and every run)."""
    seed = (kind == "h") * 83492791 ^ line * 73856093 ^ segment * 19349663 ^ point * 2654435761
    return ((seed % 10007) / 10007 - 0.5) * 2 * JITTER


def _edge(kind, line, start, stop):
    """Points along lattice line `line` from lattice index `start` to `stop` (either way),
    without the last corner: horizontal lines ("h") run east, vertical ("v") north."""
    points = []
    step = 1 if stop > start else -1
    for segment in range(start, stop, step):
        low = min(segment, segment + step)
        # Fractions along the unit segment, in the direction of travel.
        inner = [(i + 1) / (EDGE_POINTS + 1) for i in range(EDGE_POINTS)]
        if step < 0:
            inner.reverse()
        points.append(_point(kind, line, segment, 0.0))
        for number, fraction in enumerate(inner):
            index = number if step > 0 else EDGE_POINTS - 1 - number
            points.append(_point(kind, line, low + fraction, _offset(kind, line, low, index)))
    return points


def _point(kind, line, along, across):
    if kind == "h":
        x, y = along, line + across
    else:
        x, y = line + across, along
    return [round(WEST + x * CELL_LON, 7), round(SOUTH + y * CELL_LAT, 7)]


def rectangle(c0, r0, c1, r1):
    """The GeoJSON polygon of lattice cells [c0, c1) × [r0, r1), counter-clockwise."""
    ring = (
        _edge("h", r0, c0, c1)
        + _edge("v", c1, r0, r1)
        + _edge("h", r1, c1, c0)
        + _edge("v", c0, r1, r0)
    )
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _feature(kind, code, name, parent, geometry, **extra):
    properties = {"kind": kind, "code": code, "name": name, "parent": parent, **extra}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def features(shape=CityShape(), district_code="110199"):
    """Yield the subdistricts (at the top of the tree), their communities and grids, parents
    first; codes start with `district_code`."""
    sub_cols, sub_rows = _factors(shape.subdistricts)
    com_cols, com_rows = _factors(shape.communities)
    grid_cols, grid_rows = _factors(shape.grids)
    for s in range(shape.subdistricts):
        sc, sr = s % sub_cols * com_cols * grid_cols, s // sub_cols * com_rows * grid_rows
        s_code = f"{district_code}{s + 1:03d}"
        yield _feature(
            "area",
            s_code,
            f"示范第{s + 1}街道",
            "",
            rectangle(sc, sr, sc + com_cols * grid_cols, sr + com_rows * grid_rows),
            level_name="街道",
        )
        for c in range(shape.communities):
            cc = sc + c % com_cols * grid_cols
            cr = sr + c // com_cols * grid_rows
            c_code = f"{s_code}{c + 1:03d}"
            yield _feature(
                "area",
                c_code,
                f"{LANES[(s * 7 + c) % len(LANES)]}{LANES[c % len(LANES)]}社区{s + 1}-{c + 1}",
                s_code,
                rectangle(cc, cr, cc + grid_cols, cr + grid_rows),
                level_name="社区",
            )
            for g in range(shape.grids):
                gc, gr = cc + g % grid_cols, cr + g // grid_cols
                yield _feature(
                    "grid",
                    f"{c_code}{g + 1:03d}",
                    f"第{g + 1}网格",
                    c_code,
                    rectangle(gc, gr, gc + 1, gr + 1),
                    households=300 + (g * 37) % 400,
                    population=800 + (g * 91) % 900,
                )


def grid_codes(shape=CityShape(), district_code="110199"):
    for s in range(shape.subdistricts):
        for c in range(shape.communities):
            for g in range(shape.grids):
                yield f"{district_code}{s + 1:03d}{c + 1:03d}{g + 1:03d}"


def addresses(codes, per_grid):
    """{grid code: [(place, from, to)]}: `per_grid` house-number ranges in each grid, each lane
    named after its grid so every entry is unique."""
    rows = {}
    for number, code in enumerate(codes):
        lane = f"{LANES[number % len(LANES)]}{LANES[number // len(LANES) % len(LANES)]}"
        rows[code] = [(f"{lane}街{code[-6:]}巷", 10 * i + 1, 10 * i + 10) for i in range(per_grid)]
    return rows
