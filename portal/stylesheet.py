"""The portal's one stylesheet: `css/site.css`, the parts in PORTAL_STYLESHEET_PARTS joined.

Every public page loads this one file from its `<head>` (templates/base.html), so a phone makes
one request for all styles, cached for every page after the first. The parts stay separate
files, one per app (`css/portal.css`, `css/grids.css`, …); a part listed with a media query
(print) is wrapped in `@media`. Nothing is committed twice: the bundle is built from the parts
by this staticfiles finder, so `runserver`, the test live server and `collectstatic` (and with it
WhiteNoise's compressed, hashed copy) all see the same file, rebuilt whenever a part changes.
"""

import hashlib
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

BUNDLE = "css/site.css"


def parts():
    """(path, media) of each part, in cascade order."""
    return [
        (part, None) if isinstance(part, str) else tuple(part)
        for part in settings.PORTAL_STYLESHEET_PARTS
    ]


def build():
    """The bundle's text: each part under a comment naming it, media parts wrapped."""
    chunks = []
    for path, media in parts():
        source = _find_part(path)
        text = Path(source).read_text(encoding="utf-8").strip()
        if media:
            text = f"@media {media} {{\n{text}\n}}"
        chunks.append(f"/* ---- {path} ---- */\n{text}\n")
    return "\n".join(chunks)


def _find_part(path):
    for finder in finders.get_finders():
        if isinstance(finder, StylesheetFinder):
            continue
        found = finder.find(path)
        if found:
            return found
    raise FileNotFoundError(f"stylesheet part {path} is not among the static files")


def _bundle_dir():
    return Path(settings.PORTAL_STYLESHEET_DIR)


class StylesheetFinder(BaseFinder):
    """Finds `css/site.css`, written under PORTAL_STYLESHEET_DIR when its text changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=_bundle_dir())

    def _write(self):
        target = _bundle_dir() / BUNDLE
        text = build()
        digest = hashlib.blake2b(text.encode(), digest_size=16).digest()
        if not target.exists() or _digest_of(target) != digest:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed: another process may be reading or writing it too.
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=target.parent, suffix=".tmp", delete=False
            ) as partial:
                partial.write(text)
            Path(partial.name).replace(target)
        return str(target)

    def find(self, path, find_all=False, **kwargs):
        if path != BUNDLE:
            return [] if find_all else None
        found = self._write()
        return [found] if find_all else found

    def list(self, ignore_patterns):
        self._write()
        yield BUNDLE, self.storage

    def check(self, **kwargs):
        return []


def _digest_of(path):
    return hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
