"""Lookup at city scale: 10,000 grids and 500,000 address entries, in process.

Builds the lookup index from synthetic rows (the same `build_index` the site uses after it
has read the rows from the database), then times point lookups and typed-address lookups.
Each figure is the median of several runs; the target is printed beside it.

    .venv/bin/python bench/bench_lookup.py [--runs 3] [--queries 2000]
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from grids.lookup.index import build_index  # noqa: E402
from grids.lookup.normalise import _numeral, _segment_pinyin, pinyin_keys  # noqa: E402
from tests.grids.test_lookup_table import (  # noqa: E402
    EXACT,
    NOTHING,
    QUESTIONS,
    demo_rows,
)

SIDE = 100  # 100 × 100 grids
CELL = 0.003  # degrees, about 260 m × 330 m at 40°N
WEST, SOUTH = 116.20, 39.75
ADDRESS_ENTRIES_PER_GRID = 50
TARGETS = {"build": 15.0, "point_p95_ms": 2.0, "address_p95_ms": 10.0, "wrong_single": 0}

NAME_CHARS = "明华希望和平幸福光明建设人民胜利团结解放友谊长安新华东风红星朝阳文化振兴繁荣"
STREET_WORDS = ["路", "街", "大街", "胡同"]
DIRECTIONS = ["东", "西", "南", "北"]
NUMERALS = "一二三四五六七八九十"


def chinese_number(n):
    """1–99 in Chinese numerals (十九, 二十三), as residents write lane numbers."""
    tens, ones = divmod(n, 10)
    text = ""
    if tens:
        text = ("" if tens == 1 else NUMERALS[tens - 1]) + "十"
    if ones:
        text += NUMERALS[ones - 1]
    return text


def synthetic_city(rng):
    """Rows as the index reads them: grids, areas and address entries."""
    grids, addresses, places = [], [], []
    areas = {"0001": "首页", "00010001": "演示市"}
    for k in range(SIDE):
        areas[f"00010001{k + 1:04d}"] = f"第{k + 1}街道"
    pk = 0
    for row in range(SIDE):
        for col in range(SIDE):
            pk += 1
            lon, lat = WEST + col * CELL, SOUTH + row * CELL
            boundary = {
                "type": "Polygon",
                "coordinates": [
                    [
                        [lon, lat],
                        [lon + CELL, lat],
                        [lon + CELL, lat + CELL],
                        [lon, lat + CELL],
                        [lon, lat],
                    ]
                ],
            }
            path = f"00010001{row + 1:04d}{col + 1:04d}"
            grids.append((pk, f"G{row:03d}{col:03d}", f"第{pk}网格", boundary, path))
            for n in range(ADDRESS_ENTRIES_PER_GRID):
                a, b = rng.sample(NAME_CHARS, 2)
                street = f"{a}{b}{rng.choice(STREET_WORDS)}"
                lane = f"{rng.choice(DIRECTIONS)}{chinese_number(rng.randint(1, 60))}巷"
                place = street + lane
                low = n * 20 + 1
                addresses.append((pk, place, low, low + 19))
                places.append((place, low, pk))
    return grids, areas, addresses, places


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def time_each(calls):
    durations = []
    for call in calls:
        start = time.perf_counter()
        call()
        durations.append((time.perf_counter() - start) * 1000)
    return durations


def wrong_single_answers():
    """Rows of the demo community's lookup table answered with one exact grid that is wrong
    (a near miss must ask, an outside address must find nothing)."""
    index = build_index(0, *demo_rows())
    wrong = 0
    expected = [(typed, grid) for typed, grid in EXACT]
    expected += [(typed, None) for typed, _among in QUESTIONS]
    expected += [(typed, None) for typed in NOTHING]
    for typed, grid in expected:
        matches = index.search(typed)
        if len(matches) == 1 and getattr(matches[0], "exact", True) and matches[0].pk != grid:
            wrong += 1
    return wrong, len(expected)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--queries", type=int, default=2000)
    options = parser.parse_args()

    rng = random.Random(20261129)
    grids, areas, addresses, places = synthetic_city(rng)
    print(f"synthetic city: {len(grids):,} grids, {len(addresses):,} address entries")

    cpu_builds, pinyin_p95s = [], []
    builds, point_p95s, point_p50s, address_p95s, address_p50s, found = [], [], [], [], [], []
    for run in range(options.runs):
        _segment_pinyin.cache_clear()  # each build starts cold, as in a fresh process
        _numeral.cache_clear()
        start, cpu_start = time.perf_counter(), time.process_time()
        index = build_index(run, grids, areas, addresses)
        builds.append(time.perf_counter() - start)
        cpu_builds.append(time.process_time() - cpu_start)

        points = [
            (
                SOUTH + rng.random() * SIDE * CELL,
                WEST + rng.random() * SIDE * CELL,
            )
            for _ in range(options.queries)
        ]
        point_times = time_each([lambda p=p, i=index: i.at_point(p[1], p[0]) for p in points])
        point_p95s.append(percentile(point_times, 0.95))
        point_p50s.append(percentile(point_times, 0.50))

        sample = rng.sample(places, options.queries)
        queries = [f"演示市{place}{low + 3}号" for place, low, _pk in sample]
        address_times = time_each([lambda q=q, i=index: i.search(q) for q in queries])
        address_p95s.append(percentile(address_times, 0.95))
        address_p50s.append(percentile(address_times, 0.50))
        pinyin_queries = []
        for head in rng.sample(sorted(index.heads), options.queries // 2):
            full, initials = pinyin_keys(head)
            pinyin_queries += [full[: max(3, len(full) // 2)], initials]
        pinyin_times = time_each([lambda q=q, i=index: i.search(q) for q in pinyin_queries])
        pinyin_p95s.append(percentile(pinyin_times, 0.95))
        hits = 0
        for (_place, _low, pk), query in zip(sample, queries, strict=True):
            hits += any(match.pk == pk for match in index.search(query))
        found.append(hits / len(queries))

    def line(label, value, unit, target):
        verdict = "ok" if value <= target else "OVER TARGET"
        print(f"{label:<28} {value:>9.3f} {unit:<3} target <= {target:g} {unit}  {verdict}")

    print(f"medians of {options.runs} runs, {options.queries:,} queries each:")
    line("index build", statistics.median(builds), "s", TARGETS["build"])
    print(f"{'index build (CPU time)':<28} {statistics.median(cpu_builds):>9.3f} s")
    line("point lookup p95", statistics.median(point_p95s), "ms", TARGETS["point_p95_ms"])
    print(f"{'point lookup p50':<28} {statistics.median(point_p50s):>9.3f} ms")
    line("address lookup p95", statistics.median(address_p95s), "ms", TARGETS["address_p95_ms"])
    print(f"{'address lookup p50':<28} {statistics.median(address_p50s):>9.3f} ms")
    line("pinyin lookup p95", statistics.median(pinyin_p95s), "ms", TARGETS["address_p95_ms"])
    print(f"{'address found in results':<28} {statistics.median(found):>9.1%}")
    wrong, rows = wrong_single_answers()
    verdict = "ok" if wrong <= TARGETS["wrong_single"] else "OVER TARGET"
    print(
        f"{'wrong single answers':<28} {wrong:>9d}     of {rows} demo table rows, "
        f"target {TARGETS['wrong_single']}  {verdict}"
    )
    print(
        "note: the build figure is the in-process part (normalising, pinyin, STRtree); "
        "reading the rows from the database comes on top."
    )


if __name__ == "__main__":
    main()
