"""The versions a change to the area tree raises (grids.signals)."""

import pytest

from portal import versions


@pytest.fixture
def raised(monkeypatch):
    """The version names raised from now on, in order."""
    names, bump = [], versions.bump

    def counting(name):
        names.append(name)
        bump(name)

    monkeypatch.setattr(versions, "bump", counting)
    return names


def test_a_publish_raises_the_grids_version_once(grid, raised):
    """Publishing a changed grid raises "grids" once and "pages" once, not once per signal."""
    grid.title = "希望家园网格"
    grid.save_revision().publish()
    assert raised.count("grids") == 1
    assert raised.count("pages") == 1


def test_an_unpublish_raises_the_grids_version_once(grid, raised):
    """Unpublishing a grid raises "grids" once: the lookup and maps drop it."""
    grid.unpublish()
    assert raised.count("grids") == 1


def test_saving_a_draft_raises_nothing(grid, raised):
    """A draft revision changes nothing visitors see, so no version is raised."""
    grid.title = "草稿标题"
    grid.save_revision()
    assert raised == []
