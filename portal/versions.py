"""Version numbers of shared data, and the one way cache keys are made: keyed by what they were
built from. (docs/caching.md tells the whole story.)

A cached value (per-process memory or the shared cache) carries the version of the data it was built
from in its key: `key(prefix, *parts, depends_on=[names])` makes every key, `cached(...)` keeps a
value under one, the `{% cached %}` template tag (portal_tags) a fragment. Each prefix is
registered in `PREFIXES` with what it holds, each version name in `NAMES` with what raises it; any
other is refused.

Changing data calls `bump(name)` inside the same transaction, so the change and the new number
commit together (or roll back together) and every process, with or without Redis, stops using what
the change replaced at its next request.

Reading is one small query for all names together, remembered for the rest of the request
(`VersionsMiddleware` opens and closes that memory; `remembered()` does it for other work, such as
each run of a worker job). Anywhere else (a command, the shell) every read asks the database.

A bump never gives a number below the clock (in microseconds), so a restored or re-created database
never brings back a number that cached values were built from later."""

import hashlib
import threading
import time
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest

TABLE = "portal_dataversion"

# The data versions: each name, and what raises it (the one place a name is declared; reading or
# raising any other name is a mistake, and fails).
NAMES = {
    "pages": "publish, unpublish, move, delete or full save of a live page; sites, site settings, "
    "view restrictions",
    "notices": "publish, unpublish, delete of a notice or publicity; notice categories",
    "grids": "publish, unpublish, move, delete of an area or grid; grid levels",
    "workers": "save or delete of a grid worker, a leave period, or an image a worker shows",
    "feedback-setup": "feedback categories, routing rules (and their categories), service centres",
    "calendar": "any change to a working-calendar day",
    "search-words": "save or delete of a model a search word source names (portal.search.analysis)",
    "search-synonyms": "save or delete of a search synonym group (portal.search.synonyms)",
}
PAGES, NOTICES, GRIDS, WORKERS = "pages", "notices", "grids", "workers"
FEEDBACK_SETUP, CALENDAR, SEARCH_WORDS = "feedback-setup", "calendar", "search-words"
SEARCH_SYNONYMS = "search-synonyms"

# Every key written to a cache starts with one of these prefixes (then ":", or straight on for a
# prefix that ends in a separator). `key()` refuses any other; tests/portal/test_cache_keys.py
# fails on a key written with any other.
PREFIXES = {
    # Values, built once and kept under the versions of what they were built from (`cached`).
    "portal:page": "a whole page for anonymous visitors, under every version "
    "(portal.anonymous_pages)",
    "portal:sections": "the live public pages under a site's root: the main menu, the notice "
    "index (portal.page_tree.site_sections)",
    "portal:head-settings": "the site settings every page's head shows (portal_tags)",
    "portal:calendar": "the working calendar's holidays and make-up days (portal.calendar)",
    "portal:header": "fragment: the page header (templates/base.html)",
    "portal:footer": "fragment: the page footer (templates/base.html)",
    "grids:map:grid": "a grid's SVG map over its neighbours (grids.context)",
    "grids:map:area": "an area's SVG map of its grids (grids.context)",
    "grids:chain": "the areas above a page (grids.context)",
    "grids:route": "the area or grid page an address finds (grids.models.route_below)",
    "grids:worker-card": "fragment: a grid worker's card (grids/includes/worker_card.html)",
    "grids:share-meta": "fragment: a grid page's description and share tags (grids/grid_page.html)",
    "grids:grid-page": "fragment: a grid page's content above its statistics, per day "
    "(grids/grid_page.html)",
    "notices:list": "the urgent banner, the latest notices, a grid's notices, per day "
    "(notices.cache)",
    "notices:banner": "fragment: the urgent banner, per day and language (notices_tags)",
    "notices:value": "a small notices value, such as the notice index's address (notices.cache)",
    "notices:doc-check": "the unmasked personal data found in a document, by its content "
    "(notices.personal_data)",
    "feedback:grid-choices": "the feedback form's grid list (feedback.intake.forms)",
    "feedback:grid-value": "the grid and community a grid list value names (feedback.intake.forms)",
    "feedback:communities": "the feedback form's list of communities (feedback.intake.forms)",
    "feedback:routing-rules": "the active routing rules (feedback.intake.recipients)",
    "feedback:centre": "the service centre of a community (feedback.intake.recipients)",
    "feedback:on-duty": "a grid's on-duty worker on a day, for routing "
    "(feedback.intake.recipients)",
    "search:synonyms": "the search synonym groups a query is expanded with "
    "(portal.search.synonyms)",
    "feedback:grid-statistics": "fragment: a grid page's statistics block, per day and "
    "language, for five minutes (feedback_tags)",
    # Not cached values: a probe, and counters (rate limits count, nothing is built from data).
    "portal:health": "the health check's write-and-read probe (portal.views)",
    "feedback-rl": "counter: the feedback pages' rate limits (feedback.intake.ratelimit)",
    "notices-rl": "counter: the alert forms' rate limits (notices.alerts.ratelimit)",
    "allauth:rl": "counter: allauth's login and password-reset throttles (portal.cache)",
    # Written by Wagtail itself.
    "wagtail_site_root_paths": "Wagtail: the sites' root paths",
    "wagtail-rendition-": "Wagtail: an image rendition's record",
}

_local = threading.local()


def _read_all():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name, version FROM {TABLE}")  # noqa: S608 (constant table name)
        return dict(cursor.fetchall())


def _check_name(name):
    if name not in NAMES:
        raise ValueError(f"data version {name!r} is not in portal.versions.NAMES")


def current(name):
    """The current version number of `name` (0 until it is first bumped)."""
    _check_name(name)
    memo = getattr(_local, "memo", None)
    if memo is None:
        return _read_all().get(name, 0)
    if not memo:
        memo.update(_read_all())
        memo.setdefault("", 0)  # a read happened, even if the table is empty
    return memo.get(name, 0)


def bump(name):
    """Give `name` a new version number, in the current transaction."""
    _check_name(name)
    from .models import DataVersion

    clock = time.time_ns() // 1000
    with transaction.atomic():
        DataVersion.objects.bulk_create(
            [DataVersion(name=name, version=clock)], ignore_conflicts=True
        )
        # Never below the clock: a database restored from a backup does not hand out again the
        # numbers used since the backup (values cached under them show newer data).
        DataVersion.objects.filter(name=name).update(version=Greatest(F("version") + 1, clock))
    memo = getattr(_local, "memo", None)
    if memo is not None:
        memo.clear()


def registered_prefix(key):
    """The registered prefix `key` starts with (the longest), or None."""
    matching = [
        prefix
        for prefix in PREFIXES
        if key.startswith(prefix)
        and (len(key) == len(prefix) or key[len(prefix)] == ":" or prefix[-1] in ":-_")
    ]
    return max(matching, key=len, default=None)


# Room for the cache's own prefix and version (":1:") within memcached's 250 characters.
MAX_KEY_LENGTH = 200


def key(prefix, *parts, depends_on=()):
    """The cache key of a value: a registered prefix, the parts that tell values apart, and the
    current version of each name in `depends_on` (so the key changes when any of them does)."""
    if prefix not in PREFIXES:
        raise ValueError(f"cache key prefix {prefix!r} is not in portal.versions.PREFIXES")
    full = ":".join([prefix, *map(str, parts), *(f"{name}={current(name)}" for name in depends_on)])
    if len(full) <= MAX_KEY_LENGTH:
        return full
    # Long keys (a page under every data version) keep their prefix readable and hash the rest,
    # so every cache backend takes them (memcached refuses keys over 250 characters).
    digest = hashlib.blake2b(full.encode(), digest_size=20).hexdigest()
    return f"{prefix}:#{digest}"


_MISSING = object()


def cached(prefix, *parts, build, depends_on=(), timeout=60 * 60, keep_none=True):
    """`build()`'s value, kept in the cache under `key(prefix, *parts, depends_on=...)`: built
    again once any version it depends on changes, or after `timeout` seconds. None is a value too,
    and kept, unless `keep_none` is false (for a key anyone can make up, a None is not kept)."""
    from django.core.cache import cache

    full_key = key(prefix, *parts, depends_on=depends_on)
    value = cache.get(full_key, _MISSING)
    if value is _MISSING:
        value = build()
        if value is not None or keep_none:
            cache.set(full_key, value, timeout)
    return value


def remembering():
    """True within `remembered()` (a request, a job run): a version read costs no query."""
    return getattr(_local, "memo", None) is not None


@contextmanager
def remembered():
    """Within this block, version numbers are read once (a request; a batch of work)."""
    outer = getattr(_local, "memo", None)
    _local.memo = {}
    try:
        yield
    finally:
        _local.memo = outer


class VersionsMiddleware:
    """Remember the version numbers read during one request (one query per request at most)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with remembered():
            return self.get_response(request)
