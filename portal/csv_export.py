"""CSV exports: one writer for every export, so that no cell is read as a formula.

A spreadsheet program treats a cell that starts with = + - @ (or a tab or carriage return
before one of them) as a formula, and a resident's subject like ``=HYPERLINK(…)`` would run on
the staff member's computer. Such a text cell is written with a leading single quote, which
spreadsheets show as plain text; numbers are written as they are (they cannot be formulas).
"""

import csv

from django.utils.functional import Promise

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as it may go into a CSV cell: text that could start a formula is quoted."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """csv.writer whose rows pass through safe_cell."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(handle, **options):
    """A CSV writer for an export (use this, never csv.writer, for anything staff download)."""
    return SafeWriter(handle, **options)
