"""A grid worker's public name finds their grid in the site search, and follows renames."""

import pytest
from django.urls import reverse
from wagtail.models import Page

pytestmark = pytest.mark.django_db


def grid_titles(query):
    return [page.title for page in Page.objects.live().specific().search(query)]


def test_worker_names_find_their_grid(grid, east_grid, search_index):
    """The primary's and the backup's names both find 第一网格, and only it."""
    assert grid_titles("张敏") == ["第一网格"]
    assert grid_titles("李强") == ["第一网格"]


def test_the_search_page_finds_a_grid_by_its_worker(client, grid, search_index):
    response = client.get(reverse("search"), {"q": "张敏"})
    assert response.status_code == 200
    assert "第一网格" in response.content.decode()


def test_a_renamed_worker_is_found_by_the_new_name(
    grid, workers, search_index, django_capture_on_commit_callbacks
):
    """Saving a worker reindexes their grids once the change commits."""
    primary, _backup = workers
    with django_capture_on_commit_callbacks(execute=True):
        primary.name = "王红"
        primary.save()
    assert grid_titles("王红") == ["第一网格"]
    assert grid_titles("张敏") == []


def test_a_deleted_worker_no_longer_finds_the_grid(
    grid, workers, search_index, django_capture_on_commit_callbacks
):
    _primary, backup = workers
    with django_capture_on_commit_callbacks(execute=True):
        backup.delete()
    assert grid_titles("李强") == []
    assert grid_titles("张敏") == ["第一网格"]


def test_private_worker_details_are_not_indexed(grid, search_index):
    """Only names: a worker's private inbox address finds nothing."""
    assert grid_titles("zhang@example.org") == []
    assert grid_titles("zhang") == []


def test_place_names_are_words_of_the_segmenter(grid, east_grid):
    """Area and grid names (and the area name without its level) stay one word, so 明华 is not
    cut into 明 and 华; the grids app registers the word source."""
    from portal.search import analysis

    assert analysis.segment("明华社区第二网格居民") == ["明华社区", "第二网格", "居民"]
    assert "明华" in analysis.collect_words()


def test_a_published_rename_renews_the_place_names(grid):
    from portal import versions
    from portal.search import analysis

    before = versions.current(versions.SEARCH_WORDS)
    grid.title = "希望家园网格"
    grid.save_revision().publish()
    assert versions.current(versions.SEARCH_WORDS) > before
    assert analysis.segment("希望家园网格公告") == ["希望家园网格", "公告"]
