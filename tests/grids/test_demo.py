"""The demo community: tiles exactly, 9 grids of 150–250 households, workers with cover."""

import pytest

from grids.enums import OnDutyRole
from grids.geometry import check_tiling, to_shape
from grids.lookup import find_by_text
from grids.models import AreaPage, GridPage

pytestmark = pytest.mark.django_db


def test_demo_tree_tiles_exactly(loaded_demo):
    """Every demo area is covered by its children with no overlap and no gap (0.01 m²)."""
    for area in AreaPage.objects.live():
        children = [
            (child.specific.code, to_shape(child.specific.boundary))
            for child in area.get_children().live()
        ]
        assert children
        assert check_tiling(area.code, area.shape, children, tolerance_m2=0.01).ok, area.title


def test_demo_community_size_zones_and_grids(loaded_demo):
    """One subdistrict, one community of about 0.68 km², 3 zones and 9 grids."""
    assert AreaPage.objects.filter(level="subdistrict").count() == 1
    community = AreaPage.objects.get(level="community")
    assert 660_000 < community.area_m2 < 700_000
    assert AreaPage.objects.filter(level="zone").count() == 3
    grids = GridPage.objects.live()
    assert grids.count() == 9
    assert all(150 <= grid.households <= 250 for grid in grids)


def test_demo_grids_have_workers_photos_and_teams(loaded_demo):
    """Each grid has a primary and a backup with a portrait, and a team of 3 to 5."""
    for grid in GridPage.objects.all():
        assert grid.primary_worker.photo is not None
        assert grid.backup_worker.photo is not None
        assert grid.primary_worker != grid.backup_worker
        assert 3 <= grid.team_members.count() <= 5


def test_exactly_one_demo_primary_is_on_leave_today(loaded_demo):
    """One grid shows its backup today because its primary is on leave."""
    roles = [grid.on_duty_role() for grid in GridPage.objects.all()]
    assert roles.count(OnDutyRole.BACKUP) == 1
    assert roles.count(OnDutyRole.PRIMARY) == 8


@pytest.mark.parametrize("typed", ["明华街东十九巷12号", "明华街东19巷12号"])
def test_demo_addresses_are_found(loaded_demo, typed):
    """The demo lanes are found by lookup, with numerals written either way."""
    (match,) = find_by_text(typed)
    assert GridPage.objects.get(pk=match.pk).title == "第一网格"


def test_demo_gridworker_account_is_a_primary(loaded_demo):
    """The demo grid worker account is the primary of the first grid (for the inbox)."""
    from django.contrib.auth import get_user_model

    from grids.models import grids_for_user

    account = get_user_model().objects.get(username="demo-gridworker")
    assert [grid.title for grid in grids_for_user(account)] == ["第一网格", "第三网格"]
