"""Fixtures for the grids tests: a small tiled area tree and workers."""

import pytest

from grids.factories import ORIGIN, AreaPageFactory, GridWorkerFactory, box

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
