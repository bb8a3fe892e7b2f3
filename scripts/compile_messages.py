"""Compile locale/*/LC_MESSAGES/*.po into .mo files (polib: no GNU gettext needed)."""

import pathlib
import sys

import polib

root = pathlib.Path(__file__).resolve().parent.parent / "locale"
for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    catalogue = polib.pofile(str(po_path))
    catalogue.save_as_mofile(str(mo_path))
    sys.stdout.write(f"compiled {mo_path.relative_to(root.parent)}\n")
