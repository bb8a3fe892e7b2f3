"""The page tree's version ("pages", portal.versions), raised whenever any page is published,
unpublished, moved or deleted, or a site, its settings or a view restriction changes.

Every page shows the main menu, the header and the footer, and whole anonymous pages are kept
(portal.anonymous_pages). All are cached under this version, which the change raises in its own
transaction, so every process sees a change at once and no page shows a stale menu.
"""

from . import versions


def bump_pages_version(**kwargs):
    """Signal receiver: a page was published, unpublished, moved or deleted."""
    versions.bump(versions.PAGES)


def connect_signals():
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, Site
    from wagtail.signals import page_unpublished, post_page_move

    # Publishing is a full save of the now live page (`page_saved` below raises the version);
    # unpublishing saves a page that is no longer live, and a move changes the paths below it.
    page_unpublished.connect(bump_pages_version, dispatch_uid="portal-pages-unpublished")
    post_page_move.connect(bump_pages_version, dispatch_uid="portal-pages-moved")

    def page_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_pages_version()

    post_delete.connect(page_deleted, dispatch_uid="portal-pages-deleted", weak=False)

    def page_saved(sender, instance, update_fields=None, raw=False, **kwargs):
        # A full save of a live page (publishing, an import, a page made live in code) may
        # change what visitors see; saving a draft revision only updates bookkeeping fields.
        # A raw save (fixture loading, grids.importer's bulk writes) is bumped for by its caller.
        if isinstance(instance, Page) and instance.live and update_fields is None and not raw:
            bump_pages_version()

    post_save.connect(page_saved, dispatch_uid="portal-pages-saved", weak=False)
    # Sites decide which page tree a host sees, site settings fill every page's footer and view
    # restrictions decide who may see a page: kept pages depend on all three.
    from wagtail.models import PageViewRestriction

    from .models import SiteSettings

    for model in (Site, SiteSettings, PageViewRestriction):
        post_save.connect(bump_pages_version, sender=model, dispatch_uid=f"portal-{model}-saved")
        post_delete.connect(
            bump_pages_version, sender=model, dispatch_uid=f"portal-{model}-deleted"
        )
    m2m_changed.connect(
        bump_pages_version,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="portal-view-restriction-groups",
    )
