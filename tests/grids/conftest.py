"""Fixtures for the grids tests: a small tiled area tree and workers."""

import pytest

from grids.factories import ORIGIN, AreaPageFactory, GridPageFactory, GridWorkerFactory, box

LON, LAT = ORIGIN


@pytest.fixture
def subdistrict(home_page):
    """A subdistrict under the home page, 0.02° square."""
    return AreaPageFactory(
        parent=home_page,
        title="明华街道",
        slug="minghua",
        code="110105001",
        level="subdistrict",
        boundary=box(LON, LAT, LON + 0.02, LAT + 0.02),
    )


@pytest.fixture
def community(subdistrict):
    """A community filling the subdistrict's lower-left quarter."""
    return AreaPageFactory(
        parent=subdistrict,
        title="明华社区",
        slug="minghua-community",
        code="110105001001",
        level="community",
        boundary=box(LON, LAT, LON + 0.01, LAT + 0.01),
    )


@pytest.fixture
def workers(db):
    """A primary and a backup worker."""
    return GridWorkerFactory(name="张敏", work_phone="13800000001"), GridWorkerFactory(
        name="李强", work_phone="13800000002"
    )


@pytest.fixture
def grid(community, workers):
    """The community's west half, with a primary and a backup worker."""
    primary, backup = workers
    return GridPageFactory(
        parent=community,
        title="第一网格",
        slug="grid-1",
        code="110105001001001",
        boundary=box(LON, LAT, LON + 0.005, LAT + 0.01),
        primary_worker=primary,
        backup_worker=backup,
    )


@pytest.fixture
def east_grid(community):
    """The community's east half, so that the two grids tile it exactly."""
    return GridPageFactory(
        parent=community,
        title="第二网格",
        slug="grid-2",
        code="110105001001002",
        boundary=box(LON + 0.005, LAT, LON + 0.01, LAT + 0.01),
    )
