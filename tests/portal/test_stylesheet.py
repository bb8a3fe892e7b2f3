"""The one stylesheet (css/site.css): every part joined in order, print wrapped, rebuilt when a
part changes, collected by collectstatic."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command

from portal import stylesheet


def _without_comments(text):
    return re.sub(r"/\*.*?\*/", "", text, flags=re.S)


def test_bundle_joins_every_part_in_order():
    text = stylesheet.build()
    positions = [text.index(f"/* ---- {path} ---- */") for path, _media in stylesheet.parts()]
    assert positions == sorted(positions)
    assert ".site-header" in text and ".lookup" in text and "html.care" in text
    assert "@media print {\n/* Print:" in text


@pytest.mark.parametrize("path", [path for path, _media in stylesheet.parts()])
def test_each_part_closes_every_brace(path):
    """A stray brace in one part would swallow the first rule of the next part in the bundle."""
    text = _without_comments(Path(finders.find(path)).read_text(encoding="utf-8"))
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, f"{path}: a closing brace without its opening one"
    assert depth == 0, f"{path}: an opening brace left open"


def test_finder_serves_the_current_bundle(tmp_path, settings):
    """The bundle is written where the finder says and follows a change of a part."""
    part = tmp_path / "static" / "css" / "extra.css"
    part.parent.mkdir(parents=True)
    part.write_text(".one { color: red; }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, str(tmp_path / "static")]
    settings.PORTAL_STYLESHEET_PARTS = ["css/portal.css", ("css/extra.css", "screen")]
    settings.PORTAL_STYLESHEET_DIR = str(tmp_path / "bundle")
    finders.get_finder.cache_clear()
    try:
        found = finders.find(stylesheet.BUNDLE)
        assert "@media screen {\n.one { color: red; }\n}" in Path(found).read_text()
        part.write_text(".two { color: blue; }")
        found = finders.find(stylesheet.BUNDLE)
        assert ".two { color: blue; }" in Path(found).read_text()
        assert ".one" not in Path(found).read_text()
    finally:
        finders.get_finder.cache_clear()


def test_collectstatic_collects_the_bundle(tmp_path, settings):
    settings.STATIC_ROOT = str(tmp_path / "collected")
    call_command("collectstatic", interactive=False, verbosity=0)
    collected = tmp_path / "collected" / "css" / "site.css"
    assert collected.read_text() == stylesheet.build()
