"""The staff roles (groups) and the permissions each needs for its job, and nothing more.

`manage.py setup_portal` (portal.setup) creates the groups and grants what is listed here; each
app's own `setup.py` grants its models' permissions to these roles. No migration imports this
module, so editing it changes what the next set-up grants, not history.
"""

EDITORS = "编辑"  # publish notices and pages
PUBLICITY_REVIEWERS = "公示审核员"  # review approval publicity in the workflow
GRID_WORKERS = "网格员"
SERVICE_CENTRE_STAFF = "社区服务中心"
ADMINISTRATORS = "管理员"

ALL_ROLES = [EDITORS, PUBLICITY_REVIEWERS, GRID_WORKERS, SERVICE_CENTRE_STAFF, ADMINISTRATORS]

# The service centre and the administrators keep the working calendar (工作日历).
CALENDAR_PERMISSIONS = [
    "portal.add_calendarday",
    "portal.change_calendarday",
    "portal.delete_calendarday",
    "portal.view_calendarday",
]

# Editors and the administrators keep the search synonyms (搜索同义词).
SYNONYM_PERMISSIONS = [
    "portal.add_searchsynonym",
    "portal.change_searchsynonym",
    "portal.delete_searchsynonym",
    "portal.view_searchsynonym",
]

# Model permissions ("app_label.codename") per role.
MODEL_PERMISSIONS = {
    EDITORS: ["wagtailadmin.access_admin", *SYNONYM_PERMISSIONS],
    PUBLICITY_REVIEWERS: ["wagtailadmin.access_admin"],
    GRID_WORKERS: ["wagtailadmin.access_admin"],
    SERVICE_CENTRE_STAFF: ["wagtailadmin.access_admin", *CALENDAR_PERMISSIONS],
    ADMINISTRATORS: [
        "wagtailadmin.access_admin",
        *CALENDAR_PERMISSIONS,
        *SYNONYM_PERMISSIONS,
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
