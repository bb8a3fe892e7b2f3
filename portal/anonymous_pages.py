"""Whole pages for anonymous visitors, kept in Django's cache under the data versions.

A Wagtail page that a visitor who is not signed in asks for (GET or HEAD, no query string, no
message waiting for them) is rendered once and kept under a key made of the host, the path, the
language, care mode, the day and the current number of every data version (portal.versions).
Any publish, unpublish, move or change that a page can show raises one of those versions in its
own transaction, so the very next request on every server (they all read the versions from the
database) misses and renders the new page; nothing has to be deleted.

Only what is the same for every anonymous visitor is kept:

- the response of Wagtail's page view, status 200, setting no cookie and not marked private or
  no-store (a page behind a view restriction answers with a redirect or a form, never kept);
- a page with a form keeps a placeholder where the CSRF token was (every `{% csrf_token %}`
  field, and the same token wherever else that render printed it); each visitor is served the
  page with their own token (`get_token`, which also sets their CSRF cookie when they have none),
  marked `Cache-Control: private` so no shared cache in front keeps one visitor's token;
- a request with a query string (a page number, a search) is rendered afresh, so nothing a
  visitor types fills the cache.

Kept pages answer conditional requests (`ETag`, `Last-Modified` → 304) and carry
`Cache-Control: max-age=PORTAL_PAGE_CACHE_MAX_AGE`, with `Vary: Cookie` (added by the care-mode
middleware) so a browser asks again once it signs in or switches language or care mode.
A public kept page also says `X-Accel-Expires: PORTAL_PAGE_CACHE_PROXY_SECONDS` (1 s): nginx in
front keeps it that long, then revalidates it with the ETag. `PORTAL_PAGE_CACHE_SECONDS = 0` turns
the cache off. docs/caching.md tells the whole story.
"""

import hashlib
import re
import time

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language
from wagtail import views as wagtail_views

from . import versions
from .care_mode import care_mode_on

PREFIX = "portal:page"
# The field `{% csrf_token %}` renders: its value is one visitor's token.
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_PLACEHOLDER = b"__portal_page_csrf_token__"
# The versions a page may show (the search dictionary shows on none).
DEPENDS_ON = sorted(set(versions.NAMES) - {versions.SEARCH_WORDS})
# Headers a kept page is served with; the rest (Vary, CSP, security headers, cookies) are added
# by the middleware around this one on every request, hit or miss.
# A page's own Cache-Control is kept too: a view that says how long its answer may be kept (a
# feed: ten minutes) knows better than the page cache's default.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Cache-Control")


def timeout():
    return getattr(settings, "PORTAL_PAGE_CACHE_SECONDS", 300)


def _max_age():
    return getattr(settings, "PORTAL_PAGE_CACHE_MAX_AGE", 60)


def _proxy_seconds():
    return getattr(settings, "PORTAL_PAGE_CACHE_PROXY_SECONDS", 1)


def cacheable_request(request):
    """A request whose answer is the same for every anonymous visitor."""
    if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
        return False
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # No session: not signed in, and the only messages can be in the messages cookie.
        return "messages" not in request.COOKIES
    if request.user.is_authenticated:
        return False
    # A message waiting for this visitor (after signing out, say) is shown on the next page.
    # len() loads the messages without marking them read.
    return len(get_messages(request)) == 0


def key_for(request, language=None, care_mode=None):
    """The cache key of the page `request` asks for, under every data version (the active
    language and the request's care mode unless given)."""
    path = hashlib.blake2b(request.path.encode(), digest_size=16).hexdigest()
    if care_mode is None:
        care_mode = getattr(request, "care_mode", False)
    return versions.key(
        PREFIX,
        request.scheme,
        request.get_host(),
        language or get_language(),
        int(care_mode),
        timezone.localdate().isoformat(),
        path,
        depends_on=DEPENDS_ON,
    )


def cacheable_response(request, response):
    """A page of Wagtail's page view that any anonymous visitor may be given."""
    match = getattr(request, "resolver_match", None)
    if match is None or match.func is not wagtail_views.serve:
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return CSRF_PLACEHOLDER not in response.content


def without_csrf_tokens(content):
    """`content` with every CSRF token that its forms carry replaced by the placeholder."""
    for token in set(CSRF_FIELD.findall(content)):
        content = content.replace(token, CSRF_PLACEHOLDER)
    return content


def _entry(response):
    """What is kept of a response: its body (tokens out), its headers, its ETag and when it
    was made."""
    content = without_csrf_tokens(response.content)
    digest = hashlib.blake2b(content, digest_size=16).hexdigest()
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    made = int(time.time())
    return {
        "content": content,
        "headers": headers,
        "etag": f'"{digest}"',
        "made": made,
        "last_modified": http_date(made),
    }


def _response(request, entry):
    """The kept page for this visitor: their own CSRF token in its forms."""
    content = entry["content"]
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content)
    for name, value in entry["headers"].items():
        response[name] = value
    return response


def _finish(request, response, entry):
    """The validators and the Cache-Control of a kept page; a 304 when the visitor has it."""
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = entry["last_modified"]
    own = "max-age" in entry["headers"].get("Cache-Control", "")
    max_age = {} if own else {"max_age": _max_age()}
    if CSRF_PLACEHOLDER in entry["content"]:
        # It carries this visitor's CSRF token: their browser may keep it, no shared cache.
        patch_cache_control(response, private=True, **max_age)
    else:
        patch_cache_control(response, **max_age)
        if _proxy_seconds():
            # nginx in front keeps the page this long (and no other answer: it keeps only those
            # that say how long), then asks again with the ETag (deploy/nginx-portal.conf).
            response["X-Accel-Expires"] = str(_proxy_seconds())
    if "If-None-Match" not in request.headers and "If-Modified-Since" not in request.headers:
        return response
    return get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["made"], response=response
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous visitors' pages from the cache; keep the ones rendered for them.

    Sits after the locale, authentication, message and care-mode middleware (it keys by what
    they find); the middleware around it runs for every response, kept or not. Only requests
    for Wagtail's page view look in the cache, so other views pay nothing for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is not None and request.method == "GET" and cacheable_response(request, response):
            entry = _entry(response)
            cache.set(key, entry, timeout())
            return _finish(request, response, entry)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is not wagtail_views.serve or not timeout():
            return None
        if not cacheable_request(request):
            return None
        early = getattr(request, "page_cache_early", None)
        care_mode = bool(getattr(request, "care_mode", False))
        if early is not None and early[:2] == (get_language(), care_mode):
            # EarlyAnonymousPageMiddleware looked under the same key already.
            key, entry = early[2:]
        else:
            key = key_for(request)
            entry = cache.get(key)
        if entry is not None:
            return _finish(request, _response(request, entry), entry)
        request.page_cache_key = key
        return None


class EarlyAnonymousPageMiddleware:
    """Serve a kept page before the session, locale, CSRF, authentication and message
    middleware, to a visitor who has no session and no message cookie (most anonymous visitors).

    It builds the same key the page cache does (the language as LocaleMiddleware chooses it,
    care mode from its cookie). A page with a form gets the visitor's own CSRF token through
    CsrfViewMiddleware's own request and response hooks (its cookie read, or set when they have
    none); with CSRF_USE_SESSIONS such a page goes on to `AnonymousPageCacheMiddleware`. It adds
    the headers the middleware it skips would have added to a kept page: `Vary: Cookie,
    Accept-Language`, `Content-Language`, `X-Frame-Options`. A miss goes on down the stack with
    the key and what it found, which the page cache uses instead of looking again."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def __call__(self, request):
        response = self._kept(request)
        if response is not None:
            return response
        return self.get_response(request)

    def _kept(self, request):
        if request.method not in ("GET", "HEAD") or request.META.get("QUERY_STRING"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies or not timeout():
            return None
        language, vary_language = _language(request)
        care_mode = care_mode_on(request)
        key = key_for(request, language=language, care_mode=care_mode)
        entry = cache.get(key)
        with_form = entry is not None and CSRF_PLACEHOLDER in entry["content"]
        if entry is None or (with_form and settings.CSRF_USE_SESSIONS):
            # The page cache reuses the look-up if the request keeps this language and care mode.
            request.page_cache_early = (language, care_mode, key, entry)
            return None
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        if with_form:
            # CsrfViewMiddleware's own hooks: read the visitor's CSRF cookie before the token is
            # put in the page, set the cookie on the way out when they had none.
            self.csrf.process_request(request)
        response = _finish(request, _response(request, entry), entry)
        if with_form:
            response = self.csrf.process_response(request, response)
        patch_vary_headers(
            response, ("Cookie", "Accept-Language") if vary_language else ("Cookie",)
        )
        response.headers.setdefault("Content-Language", language)
        response.headers.setdefault("X-Frame-Options", _frame_options())
        response.headers.setdefault("Content-Length", str(len(response.content)))
        return response


def _frame_options():
    return getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()


def _language(request):
    """The language LocaleMiddleware activates for `request` (public Django API, its own
    steps), and whether it adds `Vary: Accept-Language` to the response."""
    urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
    i18n_patterns_used, prefixed_default_language = is_language_prefix_patterns_used(urlconf)
    language = translation.get_language_from_request(request, check_path=i18n_patterns_used)
    language_from_path = translation.get_language_from_path(request.path_info)
    if not language_from_path and i18n_patterns_used and not prefixed_default_language:
        language = settings.LANGUAGE_CODE
    return language, not (i18n_patterns_used and language_from_path)
