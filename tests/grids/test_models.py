"""The area tree, grid workers and the on-duty logic (A岗/B岗)."""

import datetime

import pytest
from django.contrib.auth.models import Group
from wagtail.test.utils import WagtailTestUtils

from grids.enums import OnDutyRole
from grids.factories import GridPageFactory, GridWorkerFactory, LeavePeriodFactory
from grids.models import AreaPage, GridLevel, GridPage, grids_for_user, grids_on_duty_for_user
from home.models import HomePage
from portal import roles

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 29)


def test_primary_is_on_duty_when_not_on_leave(grid, workers):
    """Without leave, the primary (A岗) is on duty and the backup is the other worker."""
    assert grid.on_duty_role(DAY) == OnDutyRole.PRIMARY
    assert grid.on_duty_worker(DAY) == workers[0]
    assert grid.off_duty_worker(DAY) == workers[1]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2026, 11, 27), OnDutyRole.PRIMARY),  # the day before the leave
        (datetime.date(2026, 11, 28), OnDutyRole.BACKUP),  # first day of leave
        (datetime.date(2026, 12, 2), OnDutyRole.BACKUP),  # last day of leave (inclusive)
        (datetime.date(2026, 12, 3), OnDutyRole.PRIMARY),  # back at work
    ],
)
def test_backup_covers_exactly_the_days_of_leave(grid, workers, day, expected):
    """The backup is on duty from the first to the last day of the primary's leave."""
    LeavePeriodFactory(
        worker=workers[0],
        starts_on=datetime.date(2026, 11, 28),
        ends_on=datetime.date(2026, 12, 2),
        reason="病假",
    )
    assert grid.on_duty_role(day) == expected
    worker = workers[0] if expected == OnDutyRole.PRIMARY else workers[1]
    assert grid.on_duty_worker(day) == worker


def test_primary_leave_says_until_when(grid, workers):
    """The primary's leave period on a day is available with its last day."""
    LeavePeriodFactory(worker=workers[0], starts_on=DAY, ends_on=datetime.date(2026, 12, 5))
    assert grid.primary_leave(DAY).ends_on == datetime.date(2026, 12, 5)
    assert grid.primary_leave(datetime.date(2026, 12, 6)) is None


def test_nobody_on_duty_when_both_are_on_leave(grid, workers):
    """When primary and backup are both away, nobody is on duty (the service centre covers)."""
    for worker in workers:
        LeavePeriodFactory(worker=worker, starts_on=DAY, ends_on=DAY)
    assert grid.on_duty_role(DAY) is None
    assert grid.on_duty_worker(DAY) is None


def test_backup_on_duty_when_grid_has_no_primary(community):
    """A grid without a primary is covered by its backup."""
    backup = GridWorkerFactory()
    grid = GridPageFactory(parent=community, primary_worker=None, backup_worker=backup)
    assert grid.on_duty_role(DAY) == OnDutyRole.BACKUP
    assert grid.on_duty_worker(DAY) == backup


def test_grids_for_user_lists_primary_and_backup_grids(grid, east_grid, workers, make_user):
    """An account sees the grids it is primary or backup for, and can filter by role."""
    account = make_user("zhangmin", roles.GRID_WORKERS)
    workers[0].user = account
    workers[0].save()
    east_grid.backup_worker = workers[0]
    east_grid.save()
    assert [g.code for g in grids_for_user(account)] == [grid.code, east_grid.code]
    assert [g.code for g in grids_for_user(account, OnDutyRole.PRIMARY)] == [grid.code]
    assert [g.code for g in grids_for_user(account, OnDutyRole.BACKUP)] == [east_grid.code]
    assert list(grids_for_user(make_user("nobody"))) == []


def test_grids_on_duty_for_user_follows_leave(grid, workers, make_user):
    """The backup's account is on duty for the grid only while the primary is on leave."""
    account = make_user("liqiang", roles.GRID_WORKERS)
    workers[1].user = account
    workers[1].save()
    assert grids_on_duty_for_user(account, DAY) == []
    LeavePeriodFactory(worker=workers[0], starts_on=DAY, ends_on=DAY)
    assert [g.pk for g in grids_on_duty_for_user(account, DAY)] == [grid.pk]


def test_grid_belongs_to_its_community(grid, community, subdistrict):
    """A grid's community is its nearest area of level 社区; the chain runs top to bottom."""
    assert grid.community() == community
    assert [a.title for a in grid.area_chain()] == ["明华街道", "明华社区"]
    assert subdistrict.community() is None


def test_area_and_bounds_are_computed_from_the_boundary(grid):
    """A 0.005° × 0.01° box at 39.9°N is about 427 m × 1112 m."""
    grid.refresh_from_db()
    assert 470_000 < grid.area_m2 < 480_000
    assert grid.min_lon == pytest.approx(116.45)
    assert grid.max_lat == pytest.approx(39.93)


def test_default_grid_levels_exist():
    """The four usual grid levels come with the migrations, in order."""
    assert list(GridLevel.objects.values_list("name", flat=True)) == [
        "日常管理型",
        "一般防范型",
        "重点关注型",
        "严密管控型",
    ]


def test_roles_may_manage_grid_workers(make_user):
    """Editors and administrators add and change workers; the centre changes them (leave)."""
    editor = make_user("e", roles.EDITORS)
    centre = make_user("c", roles.SERVICE_CENTRE_STAFF)
    gridworker = make_user("w", roles.GRID_WORKERS)
    admin = make_user("a", roles.ADMINISTRATORS)
    assert editor.has_perm("grids.add_gridworker") and editor.has_perm("grids.change_gridworker")
    assert centre.has_perm("grids.change_gridworker")
    assert not centre.has_perm("grids.add_gridworker")
    assert not gridworker.has_perm("grids.change_gridworker")
    assert admin.has_perm("grids.change_gridlevel")
    assert Group.objects.filter(name=roles.EDITORS).exists()


class TestPageTree(WagtailTestUtils):
    """Where areas and grids may be created."""

    def test_areas_go_under_home_or_areas_and_grids_under_areas(self):
        """An area sits under the home page or another area; a grid only under an area."""
        assert AreaPage in HomePage.allowed_subpage_models()
        assert set(AreaPage.allowed_subpage_models()) == {AreaPage, GridPage}
        assert GridPage.allowed_parent_page_models() == [AreaPage]
        assert GridPage.allowed_subpage_models() == []
