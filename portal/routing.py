"""Wagtail's page routing, remembered: the site, its settings and the page each path leads to.

For every page request Wagtail finds the site (a query with joins) and walks the page tree one
path segment at a time (a query or two per level) before it serves anything; on this portal
that was a third of the time of a page. Both answers change only when a page or a site changes,
so `PageRouteMiddleware` remembers them in this process under the page tree's version
(portal.versions: raised in the same transaction as any publish, unpublish, move or delete of
a page and any change to a site or its settings) and hands them to Wagtail through the request
attributes Wagtail itself keeps them in (`_wagtail_site`, `_wagtail_route_for_request`, and the
site settings' own attribute). The site settings, shown in every page's footer, come the same
way.

Pages are kept pickled and each request gets its own fresh copy, so nothing one request sets on
a page reaches another. The last page's own `route()` still runs on every request, so a
routable page resolves its sub-path and a page that is not live answers 404 as before; only
the walk down to it is skipped. Paths that lead nowhere are not remembered.
"""

import pickle
import threading
from collections import OrderedDict

from django.db import DatabaseError
from django.http import Http404
from django.http.request import split_domain_port
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from .page_cache import pages_version

MAX_ENTRIES = 2000

_lock = threading.Lock()
_entries = OrderedDict()


def _remember(key, value):
    with _lock:
        _entries[key] = value
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)


def _recall(key):
    with _lock:
        value = _entries.get(key)
        if value is not None:
            _entries.move_to_end(key)
        return value


def clear():
    """Forget everything (tests; a new version makes old entries unreachable anyway)."""
    with _lock:
        _entries.clear()


def site_for_request(request):
    """Wagtail's `Site.find_for_request`, remembered per host, port and page-tree version."""
    if hasattr(request, "_wagtail_site"):
        return request._wagtail_site
    hostname = split_domain_port(request._get_raw_host())[0]
    key = ("site", hostname, request.get_port(), pages_version())
    blob = _recall(key)
    if blob is None:
        site = Site._find_for_request(request)
        _remember(key, pickle.dumps(site))
    else:
        site = pickle.loads(blob)  # noqa: S301 (written by this process a moment ago)
    request._wagtail_site = site
    return site


def site_settings_for_request(request, site):
    """The portal's site settings for `site`, remembered like the site (Wagtail's
    `BaseSiteSetting.for_request` finds them on the request)."""
    from .models import SiteSettings

    attr = SiteSettings.get_cache_attr_name()
    if site is None or hasattr(request, attr):
        return
    key = ("site-settings", site.pk, pages_version())
    blob = _recall(key)
    if blob is None:
        settings = SiteSettings.for_site(site)
        _remember(key, pickle.dumps(settings))
    else:
        settings = pickle.loads(blob)  # noqa: S301 (written by this process)
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


def route_for_request(request, path):
    """Wagtail's `Page.route_for_request`, with the walk down the tree remembered."""
    if hasattr(request, "_wagtail_route_for_request"):
        return request._wagtail_route_for_request
    site = site_for_request(request)
    if site is None:
        return Page.route_for_request(request, path)
    components = _components(path)
    key = ("route", site.pk, get_language(), tuple(components), pages_version())
    entry = _recall(key)
    if entry is not None:
        blob, consumed = entry
        page = pickle.loads(blob)  # noqa: S301 (written by this process)
        try:
            result = page.route(request, components[consumed:])
        except Http404:
            result = None
        request._wagtail_route_for_request = result
        return result
    # Pickle the page as routing found it, before serving adds anything to it.
    result = Page.route_for_request(request, path)
    if result is not None:
        page = result[0]
        consumed = _consumed(site, page)
        if consumed is not None and consumed <= len(components):
            _remember(key, (pickle.dumps(page), consumed))
    return result


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
        except DatabaseError:
            # Leave the request as it came: the view (or the health check) meets the error
            # itself and answers as it would without this middleware.
            from .models import SiteSettings

            for name in (
                "_wagtail_site",
                "_wagtail_route_for_request",
                SiteSettings.get_cache_attr_name(),
            ):
                request.__dict__.pop(name, None)
        return None
