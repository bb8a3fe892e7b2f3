"""The search management commands: update_index and search_words."""

import io

import pytest
from django.core.management import call_command
from modelsearch.index import get_indexed_models
from wagtail.models import Page

from home.models import StandardPage
from portal.search import analysis
from portal.search.backend.store import drop_searchers

pytestmark = pytest.mark.django_db


def indexed_object_count():
    """How many objects the rebuild should index: every object of every indexed model."""
    return sum(model.get_indexed_objects().count() for model in get_indexed_models())


def test_update_index_rebuilds_with_a_progress_bar(home_page, search_index):
    """update_index indexes every page and draws a progress bar up to 100 %."""
    page = StandardPage(title="核酸检测安排", slug="test")
    home_page.add_child(instance=page)  # no commit callback runs here: only the rebuild indexes it
    assert list(Page.objects.search("核酸")) == []
    out = io.StringIO()
    call_command("update_index", stdout=out)
    text = out.getvalue()
    assert "[##############################] 100%" in text
    assert f"已索引 {indexed_object_count()} 个对象" in text
    assert [p.title for p in Page.objects.search("核酸")] == ["核酸检测安排"]


def test_update_index_replaces_a_corrupt_index(home_page, search_index):
    """A damaged index is thrown away and built again."""
    drop_searchers()
    for segment in search_index.get_store().path.glob("*.seg"):
        segment.write_bytes(b"broken")
    call_command("update_index", stdout=io.StringIO())
    assert search_index.get_store().check() == indexed_object_count()
    assert [p.title for p in Page.objects.search("网格化")] == [home_page.title]


def test_search_words_prints_the_dictionary_additions():
    """search_words lists the domain words and the word sources' words, for a cluster's IK."""

    def streets():
        return ["明华街", "希望街"]

    analysis.register_word_source(streets)
    try:
        out = io.StringIO()
        call_command("search_words", stdout=out)
    finally:
        analysis.unregister_word_source(streets)
    words = out.getvalue().split()
    assert {"明华街", "希望街", "网格员"} <= set(words)
