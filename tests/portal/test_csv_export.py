"""CSV exports: cells a spreadsheet would read as a formula are written as text."""

import csv
import io
import pathlib

import pytest

from portal import csv_export

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","点我")', '\'=HYPERLINK("http://x","点我")'),
        ("+86 139", "'+86 139"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("路灯不亮 = 危险", "路灯不亮 = 危险"),
        ("2026-000001", "2026-000001"),
        (-3, "-3"),
        (12, "12"),
        ("", ""),
    ],
)
def test_formula_cells_are_quoted(value, written):
    """Text starting with = + - @ tab or CR gets a leading quote; other cells stay as they are."""
    out = io.StringIO()
    csv_export.writer(out).writerow([value])
    assert next(csv.reader(io.StringIO(out.getvalue()))) == [written]


def test_every_csv_export_uses_the_helper():
    """No module of the project writes CSV with csv.writer directly."""
    sources = [
        path
        for app in ("portal", "home", "grids", "notices", "feedback")
        for path in (ROOT / app).rglob("*.py")
        if path.name != "csv_export.py" and "migrations" not in path.parts
    ]
    assert sources
    offenders = [str(p) for p in sources if "csv.writer(" in p.read_text(encoding="utf-8")]
    assert offenders == []
