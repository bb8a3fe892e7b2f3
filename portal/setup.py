"""The portal's part of `manage.py setup_portal`: the site's public address, the staff roles and
the working calendar.

Every app may have a `setup.py` whose `run()` the command calls after this one (in the order of
INSTALLED_APPS), so each app sets up its own models' permissions, workflows and pages without
the portal naming it. The helpers below are what those `run()` functions share. All of it is
idempotent: it adds what is missing and leaves what an administrator changed.
"""

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page, Site

from . import roles
from .calendar import seed_calendar
from .links import site_address


def permission(dotted):
    """The Permission named "app_label.codename"."""
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_model_permissions(role, dotted_names):
    """Give a role model permissions (adds only: a permission granted by hand stays)."""
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(*[permission(name) for name in dotted_names])


def grant_page_permissions(role, page, codenames):
    """Give a role Wagtail page permissions (add_page, publish_page, ...) on `page`'s subtree."""
    group, _ = Group.objects.get_or_create(name=role)
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=permission(f"wagtailcore.{codename}")
        )


def site_root_page():
    """The default site's root page (the home page), or None before there is one."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    return Page.objects.filter(depth=2).order_by("path").first()


def set_up_roles():
    """The five roles with their model, page (home subtree) and collection permissions."""
    home = site_root_page()
    root_collection = Collection.get_first_root_node()
    for role in roles.ALL_ROLES:
        grant_model_permissions(role, roles.MODEL_PERMISSIONS[role])
        if home is not None:
            grant_page_permissions(role, home, roles.PAGE_PERMISSIONS.get(role, []))
        group = Group.objects.get(name=role)
        for dotted in roles.COLLECTION_PERMISSIONS.get(role, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission(dotted)
            )


def set_site_address():
    """The default site answers on the public address (PORTAL_BASE_URL): Wagtail makes the
    sitemap's and every page's full URL from its host name and port."""
    hostname, port = site_address()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save()


def run(stdout=None):
    set_site_address()
    set_up_roles()
    # The official holidays of this year and next; days already listed are left as they are.
    this_year = timezone.localdate().year
    seed_calendar([this_year, this_year + 1])
