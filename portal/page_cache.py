"""Cached pieces of the page frame, dropped whenever any page is published or unpublished.

Every page shows the main menu and (from the notices app) the urgent banner; building them
takes several queries each. They are cached in the shared cache under a version number that
any publish, unpublish, move or delete of a page raises, so every process sees a change at
once and no page shows a stale menu or banner.
"""

from django.core.cache import cache

VERSION_KEY = "portal:pages-version"
TIMEOUT = 60 * 60


def pages_version():
    """The current version of the published page tree (an integer)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, None)
        version = cache.get(VERSION_KEY, 1)
    return version


def bump_pages_version(**kwargs):
    """Signal receiver: a page was published, unpublished, moved or deleted."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def cached_for_pages(name, build, *parts):
    """`build()`'s value, cached until the page tree next changes; `parts` complete the key."""
    key = ":".join(["portal", name, str(pages_version()), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, TIMEOUT)
    return value


def connect_signals():
    from django.db.models.signals import post_delete
    from wagtail.models import Page
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(bump_pages_version, dispatch_uid="portal-pages-published")
    page_unpublished.connect(bump_pages_version, dispatch_uid="portal-pages-unpublished")
    post_page_move.connect(bump_pages_version, dispatch_uid="portal-pages-moved")

    def page_deleted(sender, instance, **kwargs):
        if isinstance(instance, Page):
            bump_pages_version()

    post_delete.connect(page_deleted, dispatch_uid="portal-pages-deleted", weak=False)
