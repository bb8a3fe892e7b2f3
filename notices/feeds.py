"""RSS and Atom feeds of a notice index and of a publicity index."""

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

FEED_ITEMS = 20


class _PageFeed(Feed):
    """A feed of an index page's children; `items()` is given by each subclass."""

    feed_type = Rss201rev2Feed

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
        return self.index_page.get_url(self.request) or "/"

    def description(self):
        return getattr(self.index_page, "introduction", "") or self.index_page.title

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class NoticeRssFeed(_PageFeed):
    def items(self):
        return self.index_page.notices(grid=self.grid)[:FEED_ITEMS]

    def item_description(self, item):
        prefix = _("【已过期】") if item.is_expired else ""
        return prefix + (item.summary or item.title)

    def item_pubdate(self, item):
        local = dt.datetime.combine(item.publication_date, dt.time(9, 0))
        return timezone.make_aware(local)

    def item_categories(self, item):
        return [item.category.name]


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed
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
    feed_type = Atom1Feed
    subtitle = PublicityRssFeed.description
