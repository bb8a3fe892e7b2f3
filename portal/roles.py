"""The staff roles (groups) and the permissions each needs for its job, and nothing more.

Used by data migrations, which pass in their historical `apps`; later apps' migrations call
`grant_model_permissions` to give their own models' permissions to these groups.
"""

from django.contrib.auth.management import create_permissions

EDITORS = "编辑"  # publish notices and pages
PUBLICITY_REVIEWERS = "公示审核员"  # review approval publicity in the workflow
GRID_WORKERS = "网格员"
SERVICE_CENTRE_STAFF = "社区服务中心"
ADMINISTRATORS = "管理员"

WAGTAIL_STARTER_GROUPS = ["Editors", "Moderators"]
ALL_ROLES = [EDITORS, PUBLICITY_REVIEWERS, GRID_WORKERS, SERVICE_CENTRE_STAFF, ADMINISTRATORS]

# Model permissions ("app_label.codename") per role.
MODEL_PERMISSIONS = {
    EDITORS: ["wagtailadmin.access_admin"],
    PUBLICITY_REVIEWERS: ["wagtailadmin.access_admin"],
    GRID_WORKERS: ["wagtailadmin.access_admin"],
    SERVICE_CENTRE_STAFF: ["wagtailadmin.access_admin"],
    ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.add_group",
        "auth.change_group",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.add_workflow",
        "wagtailcore.change_workflow",
        "wagtailcore.add_task",
        "wagtailcore.change_task",
        "wagtailredirects.add_redirect",
        "wagtailredirects.change_redirect",
        "wagtailredirects.delete_redirect",
        "portal.change_sitesettings",
    ],
}

# Page permissions on the home page's subtree (Wagtail's page-permission codenames).
PAGE_PERMISSIONS = {
    EDITORS: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
    ADMINISTRATORS: [
        "add_page",
        "bulk_delete_page",
        "change_page",
        "lock_page",
        "publish_page",
        "unlock_page",
    ],
}

# Image and document collection permissions on the root collection.
COLLECTION_PERMISSIONS = {
    EDITORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
    ],
    PUBLICITY_REVIEWERS: ["wagtailimages.choose_image", "wagtaildocs.choose_document"],
    GRID_WORKERS: ["wagtailimages.add_image", "wagtailimages.choose_image"],
    SERVICE_CENTRE_STAFF: [
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
    ],
    ADMINISTRATORS: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.delete_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.delete_document",
        "wagtaildocs.choose_document",
    ],
}


def ensure_permissions_exist(apps):
    """Permissions are normally made after migrate; a data migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None


def _permission(apps, dotted):
    Permission = apps.get_model("auth.Permission")
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_model_permissions(apps, role, dotted_names):
    """Give a role model permissions; used by this and later apps' data migrations."""
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth.Group")
    group, _ = Group.objects.get_or_create(name=role)
    group.permissions.add(*[_permission(apps, name) for name in dotted_names])


def create_roles(apps, schema_editor=None):
    ensure_permissions_exist(apps)
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Permission = apps.get_model("auth.Permission")

    # Wagtail's starter groups ("Editors", "Moderators") can do more than any one job needs.
    Group.objects.filter(name__in=WAGTAIL_STARTER_GROUPS).delete()
    home = Page.objects.filter(depth=2).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).first()
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*[_permission(apps, name) for name in MODEL_PERMISSIONS[role]])
        for codename in PAGE_PERMISSIONS.get(role, []):
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(group=group, page=home, permission=permission)
        for dotted in COLLECTION_PERMISSIONS.get(role, []):
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=_permission(apps, dotted)
            )


def remove_roles(apps, schema_editor=None):
    apps.get_model("auth.Group").objects.filter(name__in=ALL_ROLES).delete()
