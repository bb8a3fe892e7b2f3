"""The staff groups made by migration can do their jobs and nothing more."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import Page

from portal import roles

pytestmark = pytest.mark.django_db


def test_every_role_exists_and_wagtail_starter_groups_are_gone():
    """The five roles exist; Wagtail's broad starter groups were removed."""
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ALL_ROLES) <= names
    assert not names & {"Editors", "Moderators"}


def test_every_role_can_reach_the_admin(make_user):
    """Each staff role has admin access; a plain resident does not."""
    for index, role in enumerate(roles.ALL_ROLES):
        assert make_user(f"u{index}", role).has_perm("wagtailadmin.access_admin")
    assert not make_user("plain").has_perm("wagtailadmin.access_admin")


def test_editors_publish_pages_but_manage_no_users(editor, home_page):
    """Editors can add and publish pages under home, but not manage users or settings."""
    permissions = home_page.permissions_for_user(editor)
    assert permissions.can_add_subpage()
    assert permissions.can_publish()
    assert not editor.has_perm("auth.change_user")
    assert not editor.has_perm("portal.change_sitesettings")


def test_grid_workers_cannot_edit_or_publish_pages(grid_worker_user, home_page):
    """Grid workers have no page permissions."""
    permissions = home_page.permissions_for_user(grid_worker_user)
    assert not permissions.can_edit()
    assert not permissions.can_publish()


def test_reviewers_cannot_publish_directly(make_user, home_page):
    """Publicity reviewers approve through the workflow; they cannot publish on their own."""
    reviewer = make_user("reviewer", roles.PUBLICITY_REVIEWERS)
    assert not home_page.permissions_for_user(reviewer).can_publish()


def test_administrators_manage_users_and_site_settings(administrator, home_page):
    """Administrators manage users, site settings and every page, but are not superusers."""
    assert administrator.has_perm("auth.change_user")
    assert administrator.has_perm("portal.change_sitesettings")
    assert home_page.permissions_for_user(administrator).can_publish()
    assert not administrator.is_superuser
    root = Page.get_first_root_node()
    assert not root.permissions_for_user(administrator).can_add_subpage()
