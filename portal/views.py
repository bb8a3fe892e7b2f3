"""Small cross-cutting views: the language and care-mode switches, the health check and
robots.txt."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET

from portal import versions
from portal.links import absolute
from portal.search.health import check_search_index

logger = logging.getLogger(__name__)
ONE_YEAR = 60 * 60 * 24 * 365


def _safe_next(request):
    target = request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/"


@require_GET
def switch_language(request, code):
    """Switch the interface language with a plain link, so it works without JavaScript."""
    response = HttpResponseRedirect(_safe_next(request))
    if code in dict(settings.LANGUAGES) and check_for_language(code):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
        )
    return response


@require_GET
def switch_care_mode(request):
    """Turn care mode on or off with a plain link; the choice is kept in a cookie."""
    response = HttpResponseRedirect(_safe_next(request))
    if request.GET.get("on") == "1":
        response.set_cookie(
            settings.PORTAL_CARE_MODE_COOKIE,
            "1",
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(settings.PORTAL_CARE_MODE_COOKIE, samesite="Lax")
    return response


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _check_cache():
    key = versions.key("portal:health")
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")


# A stylesheet every page links: under the manifest storage production uses, a missing
# manifest (collectstatic not run with production settings) fails every page.
STATIC_PROBE = "css/site.css"


def _check_static(request):
    from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage

    if isinstance(staticfiles_storage, ManifestFilesMixin):
        staticfiles_storage.stored_name(STATIC_PROBE)  # ValueError without a manifest entry


def _check_media(request):
    """Every store takes a file and gives it back: the public renditions, private uploads and
    residents' photos (on disk or in the buckets)."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages

    for alias in ("renditions", "default", "private"):
        storage = storages[alias]
        name = storage.save("health/probe.txt", ContentFile(b"ok"))
        try:
            with storage.open(name) as handle:
                if handle.read() != b"ok":
                    raise RuntimeError(f"the {alias} storage did not return what was stored")
        finally:
            storage.delete(name)


def _check_page(request):
    """The site's home page renders (templates, static files, the data it shows)."""
    from wagtail.models import Site

    site = Site.find_for_request(request) or Site.objects.get(is_default_site=True)
    response = site.root_page.specific.serve(request)
    if hasattr(response, "render"):
        response.render()
    if response.status_code != 200:
        raise RuntimeError(f"the home page answered {response.status_code}")


HEALTH_CHECKS = {
    "database": lambda request: _check_database(),
    "cache": lambda request: _check_cache(),
    "search": lambda request: check_search_index(),
    "static": _check_static,
    "media": _check_media,
    "page": _check_page,
}


# Paths no search engine needs: the admin, sign-in, the switches, the APIs, a case's tracking.
ROBOTS_DISALLOW = [
    "/admin/",
    "/accounts/",
    "/lang/",
    "/care-mode/",
    "/api/",
    "/open311/",
    "/feedback/track/",
]


@require_GET
@cache_control(public=True, max_age=86400)
def robots_txt(request):
    """robots.txt: what crawlers may skip, and the sitemap on the site's public address."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines += ["", f"Sitemap: {absolute(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@never_cache
def health(request):
    """Report each dependency, and that the home page renders; 503 when any fails, for the load
    balancer (and the operator: each failure is logged with its traceback)."""
    results = {}
    for name, check in HEALTH_CHECKS.items():
        try:
            check(request)
            results[name] = "ok"
        except Exception as exc:
            logger.exception("health check %s failed", name)
            results[name] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results}, status=200 if healthy else 503
    )


def page_not_found(request, exception=None):
    """The branded 404 page, with the site's header, what was not found (when the view said, as
    in `Http404(_("没有编码为…的网格。"))`) and a way on."""
    message = exception.args[0] if exception is not None and exception.args else ""
    return render(
        request, "404.html", {"message": message if isinstance(message, str) else ""}, status=404
    )


def bad_request(request, exception=None):
    """The branded 400 page for a request Django refuses (e.g. far too many fields)."""
    return render(request, "400.html", status=400)


def server_error(request):
    """The branded 500 page: a static template that needs no database or context processor."""
    return HttpResponseServerError(loader.get_template("500.html").render())
