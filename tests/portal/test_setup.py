"""`manage.py setup_portal` makes the roles, the publicity workflow and index, and the calendar."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Task,
    Workflow,
    WorkflowPage,
)

from notices.models import ApprovalIndexPage, PublicityReviewTask
from portal import roles
from portal.calendar import official_days
from portal.models import CalendarDay

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROJECT_APPS = ["portal", "home", "grids", "notices", "feedback"]


def set_up_state():
    """What the set-up made, as comparable values: grants, the workflows, the pages."""
    return {
        "groups": {
            group.name: sorted(
                f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
            )
            for group in Group.objects.all()
        },
        "page grants": sorted(
            (g.group.name, g.page.url_path, g.permission.codename)
            for g in GroupPagePermission.objects.select_related("group", "page", "permission")
        ),
        "collection grants": sorted(
            (g.group.name, g.collection_id, g.permission.codename)
            for g in GroupCollectionPermission.objects.select_related("group", "permission")
        ),
        "workflows": sorted(
            (wt.workflow.name, wt.sort_order, wt.task.name, type(wt.task.specific).__name__)
            for wt in Workflow.objects.get(name="公示审核").workflow_tasks.select_related("task")
        ),
        "workflow pages": sorted(
            (wp.page.url_path, wp.workflow.name) for wp in WorkflowPage.objects.all()
        ),
        "pages": sorted(
            (p.url_path, p.live, p.revisions.count()) for p in Page.objects.order_by("path")
        ),
        "calendar": CalendarDay.objects.count(),
    }


def remove_what_setup_makes():
    """Back to the database a fresh `migrate` leaves: no roles, workflow, index or calendar."""
    Group.objects.filter(name__in=roles.ALL_ROLES).delete()
    Workflow.objects.filter(name="公示审核").delete()
    Task.objects.filter(pk__in=PublicityReviewTask.objects.values("pk")).delete()
    for index in ApprovalIndexPage.objects.all():
        index.delete()
    CalendarDay.objects.all().delete()


def test_running_setup_again_changes_nothing():
    """A second run (every deployment runs it) adds, removes and republishes nothing."""
    before = set_up_state()
    call_command("setup_portal", verbosity=0)
    assert set_up_state() == before


def test_setup_on_a_fresh_database_makes_roles_workflow_and_index():
    """Without anything set up, the command makes the five roles, the two-step review workflow
    on a published publicity index, and the same grants the test database started with."""
    before = set_up_state()
    remove_what_setup_makes()
    assert not Group.objects.filter(name__in=roles.ALL_ROLES).exists()

    call_command("setup_portal", verbosity=0)

    assert set(roles.ALL_ROLES) <= set(Group.objects.values_list("name", flat=True))
    index = ApprovalIndexPage.objects.get()
    assert (index.slug, index.title, index.live) == ("publicity", "公示公告", True)
    assert index.get_parent().pk == Page.objects.get(depth=2).pk
    workflow = Workflow.objects.get(name="公示审核")
    assert WorkflowPage.objects.get(page=index).workflow == workflow
    steps = [wt.task.specific for wt in workflow.workflow_tasks.order_by("sort_order")]
    assert [type(step) for step in steps] == [PublicityReviewTask, PublicityReviewTask]
    assert [[g.name for g in step.groups.all()] for step in steps] == [
        [roles.SERVICE_CENTRE_STAFF],
        [roles.PUBLICITY_REVIEWERS],
    ]
    after = set_up_state()
    # The same grants, workflow steps, pages and calendar as the test database started with.
    assert after == before


def test_publicity_index_is_published_with_a_revision():
    """The index is made through Wagtail's page API: it has a live revision to edit from."""
    index = ApprovalIndexPage.objects.get()
    assert index.live_revision is not None
    assert index.latest_revision == index.live_revision
    assert index.url_path == f"{index.get_parent().url_path}publicity/"


def test_no_group_may_publish_on_the_publicity_index():
    """The set-up grants the centre add/change and the reviewers change, never publish."""
    index = ApprovalIndexPage.objects.get()
    grants = {
        (grant.group.name, grant.permission.codename)
        for grant in GroupPagePermission.objects.filter(page=index)
    }
    assert grants == {
        (roles.SERVICE_CENTRE_STAFF, "add_page"),
        (roles.SERVICE_CENTRE_STAFF, "change_page"),
        (roles.PUBLICITY_REVIEWERS, "change_page"),
    }


def test_setup_keeps_a_permission_an_administrator_granted():
    """The set-up only adds: a permission given to a role by hand survives the next deployment."""
    grid_workers = Group.objects.get(name=roles.GRID_WORKERS)
    extra = Group.objects.get(name=roles.ADMINISTRATORS).permissions.get(codename="add_user")
    grid_workers.permissions.add(extra)
    call_command("setup_portal", verbosity=0)
    assert grid_workers.permissions.filter(pk=extra.pk).exists()


def test_setup_seeds_the_working_calendar():
    """The official holidays of this year come from the set-up, not from a migration."""
    CalendarDay.objects.all().delete()
    call_command("setup_portal", verbosity=0)
    this_year = timezone.localdate().year
    expected = len(official_days(this_year))
    assert CalendarDay.objects.filter(date__year=this_year).count() == expected
    assert expected > 0 or pytest.skip("chinesecalendar has no data for this year")


def imported_modules(path):
    """The modules a Python file imports, at any depth."""
    modules = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules += [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
    return modules


def test_no_migration_imports_roles_calendar_or_setup():
    """Migrations do not run the portal's live roles, calendar or set-up code."""
    live = {"portal.roles", "portal.calendar", "portal.setup"} | {
        f"{app}.setup" for app in PROJECT_APPS
    }
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for app in PROJECT_APPS
        for path in sorted((ROOT / app / "migrations").glob("*.py"))
        for module in imported_modules(path)
        if module in live
    ]
    assert offenders == []


def test_lower_apps_migrations_do_not_depend_on_home():
    """portal, grids, notices and feedback migrations name no migration of home."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    offenders = [
        (key, dependency)
        for key, node in graph.nodes.items()
        if key[0] in {"portal", "grids", "notices", "feedback"}
        for dependency in graph.node_map[key].parents
        if dependency.key[0] == "home"
    ]
    assert offenders == []
