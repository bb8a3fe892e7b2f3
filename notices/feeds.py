"""RSS and Atom feeds of a notice index and of a publicity index.

Every link is absolute on the site's public address (portal.links). Each entry's id (RSS
`guid`, Atom `id`) is `urn:uuid:` and the page's own UUID (Wagtail's translation key), so it
stays the same when the host, the scheme or the page's slug changes and a reader never shows an
item twice. Dates are in the site's time zone (Asia/Shanghai, +0800).
"""

import datetime as dt
import uuid

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from portal import versions
from portal.links import absolute
from portal.public_api import conditional

FEED_ITEMS = 20
# How long a reader or proxy may keep a feed before asking again (with its ETag).
FEED_MAX_AGE = 600


def serve_feed(feed, request):
    """The feed's answer, with ETag, Last-Modified and Cache-Control; 304 when unchanged.
    A feed is built from the pages (titles, slugs), notices and grids as they are today."""
    depends_on = [versions.PAGES, versions.NOTICES, versions.GRIDS]
    return conditional(depends_on=depends_on, max_age=FEED_MAX_AGE, daily=True)(feed)(request)


class _LocalDates:
    """The feed's own date (RSS lastBuildDate, Atom updated) in the site's time zone too: with
    no entries Django falls back to the current time in UTC."""

    def latest_post_date(self):
        return timezone.localtime(super().latest_post_date())


class LocalRss(_LocalDates, Rss201rev2Feed):
    pass


class LocalAtom(_LocalDates, Atom1Feed):
    pass


def local(moment):
    """A stored (UTC) time in the site's time zone; None stays None."""
    return timezone.localtime(moment) if moment is not None else None


class _PageFeed(Feed):
    """A feed of an index page's children; `items()` is given by each subclass."""

    feed_type = LocalRss

    def __init__(self, index_page, grid=None):
        super().__init__()
        self.index_page = index_page
        self.grid = grid

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        if self.grid is not None:
            return f"{self.index_page.title} · {self.grid.title}"
        return self.index_page.title

    def link(self):
        return absolute(self.index_page.get_url(self.request))

    def feed_url(self):
        return absolute(self.request.path)

    def feed_guid(self):
        """The feed's own Atom id: as stable as its entries' (a grid's feed has its own)."""
        key = self.index_page.translation_key
        if self.grid is not None:
            key = uuid.uuid5(key, f"grid:{self.grid.translation_key}")
        return f"urn:uuid:{key}"

    def description(self):
        return getattr(self.index_page, "introduction", "") or self.index_page.title

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return absolute(item.get_url(self.request))

    def item_guid(self, item):
        return f"urn:uuid:{item.translation_key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return local(item.first_published_at)

    def item_updateddate(self, item):
        return local(item.last_published_at)


class NoticeRssFeed(_PageFeed):
    def items(self):
        return self.index_page.notices(grid=self.grid)[:FEED_ITEMS]

    def item_description(self, item):
        prefix = _("【已过期】") if item.is_expired else ""
        return prefix + (item.summary or item.title)

    def item_pubdate(self, item):
        local = dt.datetime.combine(item.publication_date, dt.time(9, 0))
        return timezone.make_aware(local, timezone.get_default_timezone())

    def item_categories(self, item):
        return [item.category.name]


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = LocalAtom
    subtitle = NoticeRssFeed.description


class PublicityRssFeed(_PageFeed):
    def items(self):
        return self.index_page.publicity()[:FEED_ITEMS]

    def item_description(self, item):
        return _("公示期：%(start)s 至 %(end)s") % {
            "start": item.publicity_start.isoformat(),
            "end": item.publicity_end.isoformat(),
        }

    def item_categories(self, item):
        return [item.matter.name]


class PublicityAtomFeed(PublicityRssFeed):
    feed_type = LocalAtom
    subtitle = PublicityRssFeed.description
