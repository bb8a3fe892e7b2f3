"""网格列表: every grid page in one admin listing, filtered by area, level and worker, within
Wagtail's page permissions."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from grids.factories import GridLevelFactory, GridWorkerFactory, build_area_tree

pytestmark = pytest.mark.django_db

TITLES = ("第一网格", "第二网格", "远方网格")


@pytest.fixture
def grids(home_page, community, grid, east_grid, workers):
    """第一网格 (level 日常管理型, workers 张敏/李强) and 第二网格 in 明华社区; 远方网格 in
    another community, with its own worker."""
    far = build_area_tree(
        home_page,
        {
            "far_community": {
                "title": "远方社区",
                "slug": "far",
                "code": "F1",
                "level": "community",
                "extent": (1, 1, 1.01, 1.01),
                "children": {
                    "far_grid": {
                        "title": "远方网格",
                        "slug": "far-grid",
                        "code": "F101",
                        "level": "grid",
                        "extent": (1, 1, 1.01, 1.01),
                        "primary_worker": GridWorkerFactory(name="周远"),
                    }
                },
            }
        },
    )
    grid.level = GridLevelFactory(name="日常管理型")
    grid.save_revision().publish()
    return {"grid": grid, "east": east_grid, "community": community, **far}


def _listed(client, query=""):
    html = client.get(f"/admin/grid-pages/results/?{query}").content.decode()
    return [title for title in TITLES if title in html]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)


def test_grid_listing_filters_by_area_level_and_worker(client, superuser, grids, workers):
    """Each filter narrows the grids: an area (its whole subtree), a level, a worker of
    either post."""
    client.force_login(superuser)
    assert _listed(client) == ["第一网格", "第二网格", "远方网格"]
    assert _listed(client, f"area={grids['community'].pk}") == ["第一网格", "第二网格"]
    assert _listed(client, f"area={grids['far_community'].pk}") == ["远方网格"]
    assert _listed(client, f"level={grids['grid'].level_id}") == ["第一网格"]
    primary, backup = workers
    assert _listed(client, f"worker={primary.pk}") == ["第一网格"]
    assert _listed(client, f"worker={backup.pk}") == ["第一网格"]
    assert _listed(client, "worker=²") == ["第一网格", "第二网格", "远方网格"]


def test_grid_listing_shows_codes_and_workers(client, superuser, grids):
    """The columns name each grid's code, level and workers."""
    client.force_login(superuser)
    html = client.get("/admin/grid-pages/").content.decode()
    assert html.count("日常管理型") >= 1 and "张敏" in html and "F101" in html


def _editor(make_user, page, *codenames):
    group = Group.objects.create(name=f"编辑-{page.slug}-{'-'.join(codenames)}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for codename in codenames:
        GroupPagePermission.objects.create(
            group=group, page=page, permission=Permission.objects.get(codename=codename)
        )
    user = make_user(f"editor-{page.slug}-{codenames[0]}")
    user.groups.add(group)
    return user


def test_editor_lists_and_edits_only_the_pages_wagtail_allows(client, make_user, grids):
    """An editor of 第一网格 lists it with an edit link and sees no other grid; one who may only
    lock the community's pages lists its grids without edit links."""
    grid, east = grids["grid"], grids["east"]
    client.force_login(_editor(make_user, grid, "change_page"))
    html = client.get("/admin/grid-pages/").content.decode()
    assert [t for t in TITLES if t in html] == ["第一网格"]
    assert f"/admin/pages/{grid.pk}/edit/" in html
    assert "远方社区" not in html  # not offered as an area to filter by either
    assert _listed(client, f"area={grids['far_community'].pk}") == ["第一网格"]

    client.force_login(_editor(make_user, grids["community"], "lock_page"))
    html = client.get("/admin/grid-pages/").content.decode()
    assert [t for t in TITLES if t in html] == ["第一网格", "第二网格"]
    assert f"/admin/pages/{grid.pk}/edit/" not in html
    assert f"/admin/pages/{east.pk}/edit/" not in html


def test_listing_is_refused_without_page_permissions(client, make_user, grids):
    """An account with admin access but no page permission gets neither the listing nor its
    menu item."""
    from django.test import RequestFactory
    from wagtail.admin.menu import admin_menu

    user = make_user("no-pages")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/grid-pages/").status_code == 302
    request = RequestFactory().get("/admin/")
    request.user = user
    assert "/admin/grid-pages/" not in [i.url for i in admin_menu.menu_items_for_request(request)]
