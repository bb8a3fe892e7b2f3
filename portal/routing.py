"""Wagtail's page routing, remembered: the site, its settings and the page each path leads to.

For every page request Wagtail finds the site (a query with joins) and walks the page tree one path
segment at a time (a query or two per level) before it serves anything; on this portal that was a
third of the time of a page. Both answers change only when a page or a site changes, so
`PageRouteMiddleware` remembers them under the page tree's version (portal.versions:
raised in the same transaction as any publish, unpublish, move or delete of a page and any change to
a site or its settings) and hands them to Wagtail through the request attributes Wagtail itself
keeps them in (`_wagtail_site`, `_wagtail_route_for_request`, and the site settings' own attribute).
The site settings, shown in every page's footer, come the same way.

They are kept in the cache (per process, or shared through Redis), which stores them pickled, so
each request gets its own fresh copy and nothing one request sets on a page reaches another. The
last page's own `route()` still runs on every request, so a routable page resolves its sub-path and
a page that is not live answers 404 as before; only the walk down to it is skipped. Each page is
remembered under its own path only, so paths that visitors make up (a sub-path, a path that leads
nowhere) add nothing to the cache."""

import hashlib
import logging
from functools import partial

from django.core.cache import cache
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from . import versions

TIMEOUT = 60 * 60
# Pages deeper than this below the site's root are routed by Wagtail on every request.
MAX_DEPTH = 12
logger = logging.getLogger(__name__)


def site_for_request(request):
    """Wagtail's `Site.find_for_request`, remembered per host, port and page-tree version."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    site = versions.cached(
        "portal:site",
        hostname,
        request.get_port(),
        build=lambda: Site._find_for_request(request),
        depends_on=[versions.PAGES],
        timeout=TIMEOUT,
    )
    request._wagtail_site = site
    return site


def site_settings_for_request(request, site):
    """The portal's site settings for `site`, remembered like the site (Wagtail's
    `BaseSiteSetting.for_request` finds them on the request)."""
    from .models import SiteSettings

    attr = SiteSettings.get_cache_attr_name()
    if site is None or hasattr(request, attr):
        return
    settings = versions.cached(
        "portal:site-settings",
        site.pk,
        build=lambda: SiteSettings.for_site(site),
        depends_on=[versions.PAGES],
        timeout=TIMEOUT,
    )
    settings._request = request
    setattr(request, attr, settings)


def _components(path):
    return [component for component in path.split("/") if component]


def _consumed(site, page):
    """How many path segments lead from the site's root page to `page` (None: not below it)."""
    root_path = site.root_page.url_path
    if not page.url_path.startswith(root_path):
        return None
    return len(_components(page.url_path[len(root_path) :]))


def _route_keys(site, components):
    """The cache keys of each leading part of a path: "", "a", "a/b", ..."""
    # "v2": entries are (page, restrictions), and the bare pages left in a shared cache by an
    # earlier release are never read.
    prefix = versions.key(
        "portal:route", "v2", site.pk, get_language(), depends_on=[versions.PAGES]
    )
    return [
        f"{prefix}:{hashlib.blake2b('/'.join(components[:n]).encode(), digest_size=16).hexdigest()}"
        for n in range(len(components) + 1)
    ]


def route_for_request(request, path):
    """Wagtail's `Page.route_for_request`, with the walk down the tree remembered.

    A page is remembered under its own path only, so the cache holds one entry per page and
    language whatever paths visitors make up. A request looks up every leading part of its path
    at once and takes the longest that is a page; that page's `route()` then does the rest, as
    in Wagtail's walk: a routable page's sub-path, a child page, or a 404.
    """
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = site_for_request(request)
    if site is None:
        return Page.route_for_request(request, path)
    components = _components(path)
    depth = min(len(components), MAX_DEPTH)
    keys = _route_keys(site, components[:depth])
    found = cache.get_many(keys)
    hit = next((n for n in reversed(range(len(keys))) if keys[n] in found), None)
    if hit is None:
        result = Page.route_for_request(request, path)
        known = None
    else:
        known, restrictions = found[keys[hit]]
        _give_view_restrictions(known, restrictions)
        try:
            result = known.route(request, components[hit:])
        except Http404:
            result = None
        request._wagtail_route_for_request = result
    if result is not None and result[0] is not known:
        # A page reached for the first time: remembered as routing found it, before serving
        # adds anything to it (the cache keeps a pickled copy).
        page = result[0]
        consumed = _consumed(site, page)
        if consumed is not None and consumed <= depth:
            cache.set(keys[consumed], (page, list(page.get_view_restrictions())), TIMEOUT)
    return result


def _give_view_restrictions(page, restrictions):
    """Wagtail's page view asks the page for its view restrictions on every request (two
    queries: the ancestors, then the restrictions). This copy of the page answers with the list
    remembered with its route; any change to a restriction raises the page-tree version.
    (A picklable answer: a child page reached from this one keeps it as its cached parent.)"""
    page.get_view_restrictions = partial(_the, restrictions)


def _the(value):
    return value


class PageRouteMiddleware:
    """Give Wagtail's page view its site and route from this process's memory."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        try:
            site_settings_for_request(request, site_for_request(request))
            if view_func is wagtail_views.serve:
                path = view_kwargs.get("path", view_args[0] if view_args else "")
                route_for_request(request, path)
        except Exception as error:
            # The cache or the database failed: leave the request as it came, so the view (or
            # the health check) meets the failure itself and answers as it would without this.
            logger.warning("remembered routing skipped: %r", error)
            from .models import SiteSettings

            for name in (
                "_wagtail_site",
                "_wagtail_route_for_request",
                SiteSettings.get_cache_attr_name(),
            ):
                request.__dict__.pop(name, None)
        return None
