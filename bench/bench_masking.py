"""Masking and the publish check: how long they take on realistic sizes, in process.

Times `mask()` on a long notice body, the unmasked-data check of a whole notice body, and the
text check of a 2,000-row xlsx attachment (the first check of a file; later checks of the same
file come from the cache). Each figure is the median of several runs; the target is beside it.

    .venv/bin/python bench/bench_masking.py [--runs 5]
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django

django.setup()

from notices.attachments import _xlsx_texts  # noqa: E402
from notices.masking import find_unmasked, mask  # noqa: E402

TARGETS = {"mask_20k_chars_ms": 20.0, "check_20k_chars_ms": 20.0, "xlsx_2000_rows_ms": 1500.0}

SENTENCE = (
    "申请人张小三，身份证350102199001011234，电话13812345678，住明华街88号3号楼2单元501室；"
    "社区服务中心办公电话010-65432100，工作日8:30-17:30受理。"
)


def body_text(chars=20_000):
    repeats = chars // len(SENTENCE) + 1
    return (SENTENCE * repeats)[:chars]


def xlsx(rows=2000):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "网格", "家庭人口", "金额", "电话"])
    for n in range(rows):
        sheet.append([f"张*{n % 10}", f"第{n % 9 + 1}网格", 3, 1380, "138****5678"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def median_ms(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    text = body_text()
    data = xlsx()
    figures = {
        "mask_20k_chars_ms": median_ms(lambda: mask(text), args.runs),
        "check_20k_chars_ms": median_ms(lambda: find_unmasked(text), args.runs),
        "xlsx_2000_rows_ms": median_ms(
            lambda: [find_unmasked(value) for _where, value in _xlsx_texts(data)], args.runs
        ),
    }
    for name, value in figures.items():
        verdict = "ok" if value <= TARGETS[name] else "SLOW"
        print(f"{name:<22} {value:9.1f}   target ≤ {TARGETS[name]:.0f}   {verdict}")


if __name__ == "__main__":
    main()
