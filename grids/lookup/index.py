"""The in-memory lookup index: grid shapes in a shapely STRtree, and address keys.

Built from the published tree and labelled with the tree's version it was built from
("grids", portal.versions). Every process checks the shared version before answering and rebuilds
when it differs, so a publish in one process reaches all of them.
"""

import bisect
import threading
from dataclasses import dataclass, field

import shapely
from shapely.geometry import Point, shape

from portal import versions

from .normalise import (
    DIGIT_RUNS,
    first_number,
    is_pinyin_query,
    lane_of,
    normalise,
    pinyin_keys,
    split_lane,
)

MAX_QUERY_LENGTH = 100


@dataclass
class GridEntry:
    pk: int
    code: str
    title: str
    areas: tuple = ()


@dataclass
class Match:
    """One lookup answer: a grid and what was matched (a place, a name or a code)."""

    pk: int
    matched: str = ""
    exact: bool = False  # the address matched a place and its number range exactly
    parts: tuple = ()  # what matched: "street", "direction", "lane", "number"


@dataclass
class LookupIndex:
    version: int
    grids: dict = field(default_factory=dict)  # pk -> GridEntry
    tree: object = None
    tree_pks: list = field(default_factory=list)
    places: dict = field(default_factory=dict)  # normalised place -> [(from, to, pk)]
    place_names: dict = field(default_factory=dict)  # normalised place -> place as written
    sorted_keys: list = field(default_factory=list)  # normalised places and grid names
    pinyin: list = field(default_factory=list)  # sorted [(pinyin, name head)]
    heads: dict = field(default_factory=dict)  # name head (text before any number) -> keys
    codes: dict = field(default_factory=dict)  # lower-case code -> pk
    sorted_codes: list = field(default_factory=list)
    names: dict = field(default_factory=dict)  # normalised grid name -> [pk]
    lanes: dict = field(default_factory=dict)  # (lane number, lane word) -> [(street, dir, place)]
    street_lanes: dict = field(default_factory=dict)  # street -> [(street, dir, place, lane)]
    lane_places: set = field(default_factory=set)  # normalised places that are lanes

    # --- point ---------------------------------------------------------------------------

    def at_point(self, lon, lat):
        """The grids whose boundary contains (lon, lat), by code (a border point may touch two)."""
        if self.tree is None:
            return []
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        pks = [self.tree_pks[i] for i in hits]
        exact = len(pks) == 1  # a border point touching two grids is a question
        return [Match(pk, exact=exact) for pk in sorted(pks, key=lambda pk: self.grids[pk].code)]

    # --- text ----------------------------------------------------------------------------

    def search(self, query, limit=10):
        """Grids matching a typed address, place, grid name, grid code or pinyin."""
        key = normalise(query)[:MAX_QUERY_LENGTH]
        if not key:
            return []
        if key in self.codes:
            return [Match(self.codes[key], self.grids[self.codes[key]].code, exact=True)]
        if key in self.names:
            found = [Match(pk, self.grids[pk].title) for pk in self.names[key]][:limit]
            if len(found) == 1:
                found[0].exact = True
            return found
        lane = lane_of(key)
        if lane is not None:
            return self._lane(key, lane, limit)
        found = self._address(key, limit)
        if found:
            return found
        found = self._prefix(key, limit)
        if found:
            return found
        if is_pinyin_query(key):
            return self._pinyin(key, limit)
        return []

    def _longest_place(self, key):
        best = None
        places = self.places
        length = len(key)
        for start in range(length):
            if best is not None and length - start <= best[1] - best[0]:
                break
            for end in range(length, start, -1):
                if best is not None and end - start <= best[1] - best[0]:
                    break
                if key[start:end] in places:
                    best = (start, end)
                    break
        return best

    def _address(self, key, limit):
        """A place written in full (a compound, a street, a lane) and maybe its number."""
        span = self._longest_place(key)
        if span is None:
            return []
        place = key[span[0] : span[1]]
        parts = ("street", "direction", "lane") if place in self.lane_places else ("street",)
        return self._in_place(place, first_number(key[span[1] :]), parts, limit)

    def _in_place(self, place, number, parts, limit, exact=True):
        """Grids of one place: exact only when the number falls in one grid's range (or the
        place is whole in one grid); otherwise every grid of the place, as candidates."""
        entries = self.places[place]
        label = self.place_names.get(place, place)
        whole = [pk for low, _high, pk in entries if low is None]
        if number is not None:
            covering = [
                pk
                for low, high, pk in entries
                if low is not None and low <= number <= (high if high is not None else low)
            ]
            if covering:
                found = _unique([Match(pk, f"{label} {number}号") for pk in covering], limit)
                return _settle(found, (*parts, "number"), exact)
            if whole:
                return _settle(_unique([Match(pk, label) for pk in whole], limit), parts, exact)
        elif whole and len(whole) == len(entries):
            return _settle(_unique([Match(pk, label) for pk in whole], limit), parts, exact)
        found = _unique([Match(pk, label) for _low, _high, pk in entries], limit)
        return _settle(found, parts, False)

    def _lane(self, key, lane, limit):
        """A lane (东十九巷) with or without its street, direction and number.

        Only a lane whose street and direction both match (or, the street left out, the only
        lane of that name) can give an exact answer; the rest are candidates to choose from.
        """
        start, end, direction, number_word = lane
        before, after = key[:start], key[end:]
        street = self._street_ending(before) if before else ""
        number = first_number(after)
        lanes = self.lanes.get(number_word, [])
        if not lanes:
            if street:  # a lane the street does not have: the street's other places
                found = []
                for _street, _dir, place, _lane in self.street_lanes[street]:
                    found.extend(self._in_place(place, None, ("street",), limit, exact=False))
                if street in self.places:
                    found.extend(self._in_place(street, None, ("street",), limit, exact=False))
                return _unique(found, limit)
            return []
        same_street = [
            entry[:3] for entry in self.street_lanes.get(street, ()) if entry[3] == number_word
        ]
        pool = same_street or lanes
        same_direction = [entry for entry in pool if entry[1] == direction]
        if same_direction:
            pool = same_direction
        parts = ["lane"]
        if same_street:
            parts.append("street")
        if same_direction:
            parts.append("direction")
        # The street left out: exact when only one street has this lane with this direction.
        exact = len(pool) == 1 and bool(same_direction) and (bool(same_street) or street == "")
        found = []
        for _street, _dir, place in pool:
            found.extend(self._in_place(place, number, tuple(parts), limit, exact=exact))
        if len(pool) > 1:
            numbered = [m for m in found if "number" in m.parts]
            found = numbered or found
            for match in found:
                match.exact = False
        return _unique(found, limit)

    def _street_ending(self, text):
        """The longest street with lanes the text ends with (北京市明华街 → 明华街), or None."""
        for start in range(len(text)):
            if text[start:] in self.street_lanes:
                return text[start:]
        return None

    def _grids_for_key(self, key):
        if key in self.places:
            label = self.place_names.get(key, key)
            return [Match(pk, label) for _low, _high, pk in self.places[key]]
        return [Match(pk, self.grids[pk].title) for pk in self.names.get(key, [])]

    def _prefix(self, key, limit):
        matches = []
        keys = self.sorted_keys
        i = bisect.bisect_left(keys, key)
        while i < len(keys) and keys[i].startswith(key) and len(matches) < limit * 4:
            matches.extend(self._grids_for_key(keys[i]))
            i += 1
        code_matches = []
        if key.isalnum() and key.isascii():
            codes = self.sorted_codes
            j = bisect.bisect_left(codes, key)
            while j < len(codes) and codes[j].startswith(key) and len(code_matches) < limit:
                code_matches.append(Match(self.codes[codes[j]], codes[j]))
                j += 1
        return _unique(code_matches + matches, limit)

    def _pinyin(self, key, limit):
        matches, seen = [], set()
        entries = self.pinyin
        i = bisect.bisect_left(entries, (key, ""))
        while i < len(entries) and entries[i][0].startswith(key) and len(seen) < limit:
            for member in self.heads.get(entries[i][1], ()):
                for match in self._grids_for_key(member):
                    if match.pk not in seen:
                        seen.add(match.pk)
                        matches.append(match)
                if len(seen) >= limit:
                    break
            i += 1
        return matches[:limit]


def _settle(matches, parts, exact):
    """Mark what matched; exact only for one grid when the caller says everything matched."""
    for match in matches:
        match.parts = tuple(parts)
        match.exact = exact and len(matches) == 1
    return matches


def _unique(matches, limit):
    seen = set()
    result = []
    for match in matches:
        if match.pk not in seen:
            seen.add(match.pk)
            result.append(match)
        if len(result) >= limit:
            break
    return result


def build_index(version, grids, areas, addresses):
    """Build an index from plain rows.

    grids: [(pk, code, title, boundary GeoJSON, path)]; areas: {path: title};
    addresses: [(grid pk, place, number from, number to)].
    """
    index = LookupIndex(version=version)
    shapes = []
    for pk, code, title, boundary, path in grids:
        area_names = tuple(areas[path[:i]] for i in range(4, len(path), 4) if path[:i] in areas)
        index.grids[pk] = GridEntry(pk, code, title, area_names)
        index.codes[code.lower()] = pk
        index.names.setdefault(normalise(title), []).append(pk)
        try:
            geometry = shape(boundary)
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        shapely.prepare(geometry)
        shapes.append(geometry)
        index.tree_pks.append(pk)
    index.tree = shapely.STRtree(shapes) if shapes else None
    normalised_places = {}
    for grid_pk, place, low, high in addresses:
        if grid_pk not in index.grids:
            continue
        key = normalised_places.get(place)
        if key is None:
            key = normalised_places[place] = normalise(place)
            index.place_names.setdefault(key, place)
        index.places.setdefault(key, []).append((low, high, grid_pk))
    for key in index.places:
        parsed = split_lane(key)
        if parsed is not None:
            street, direction, number_word = parsed
            index.lanes.setdefault(number_word, []).append((street, direction, key))
            index.lane_places.add(key)
            if street:
                index.street_lanes.setdefault(street, []).append(
                    (street, direction, key, number_word)
                )
    index.sorted_codes = sorted(index.codes)
    keys = set(index.places) | set(index.names)
    index.sorted_keys = sorted(keys)
    # Pinyin is made for the name part of each key (the text before its first number): a city
    # has hundreds of thousands of lanes but far fewer distinct street and compound names.
    heads = index.heads
    for key in index.sorted_keys:
        head = DIGIT_RUNS.split(key, 1)[0] or key
        heads.setdefault(head, []).append(key)
    pinyin = []
    for head in heads:
        if head.isascii():
            continue
        full, initials = pinyin_keys(head)
        pinyin.append((full, head))
        pinyin.append((initials, head))
    pinyin.sort()
    index.pinyin = pinyin
    return index


def load_index(version):
    """Build the index from the database (live, public grids only)."""
    from ..models import AreaPage, GridAddress, GridPage

    grids = list(
        GridPage.objects.live()
        .public()
        .order_by("code")
        .values_list("pk", "code", "title", "boundary", "path")
    )
    areas = dict(AreaPage.objects.live().values_list("path", "title"))
    addresses = GridAddress.objects.filter(grid__live=True).values_list(
        "grid_id", "place", "number_from", "number_to"
    )
    return build_index(version, grids, areas, addresses.iterator(chunk_size=20_000))


_lock = threading.Lock()
_current = None


def get_index():
    """The index for the current tree version, rebuilt here if another process changed it."""
    global _current
    version = versions.current(versions.GRIDS)
    index = _current
    if index is not None and index.version == version:
        return index
    with _lock:
        if _current is None or _current.version != version:
            _current = load_index(version)
        return _current
