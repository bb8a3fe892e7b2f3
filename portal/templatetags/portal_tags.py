"""Template tags for the page frame: site name, main menu, switches."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Site

from portal.page_cache import cached_for_pages

register = template.Library()


@register.simple_tag(takes_context=True)
def site_name(context):
    """The Wagtail site's name, or the portal's default name."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return (site and site.site_name) or settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The live pages marked "show in menus" directly under the site's root page.

    Cached until the page tree changes (portal.page_cache): every page shows the menu.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []

    def build():
        pages = site.root_page.get_children().live().in_menu().public()
        return [{"title": page.title, "url": page.get_url(request)} for page in pages]

    return cached_for_pages("main-menu", build, site.pk)


@register.simple_tag(takes_context=True)
def switch_url(context, name, **params):
    """A switch link (language, care mode) that returns the resident to the page they were on."""
    code = params.pop("code", None)
    url = reverse(name, kwargs={"code": code}) if code else reverse(name)
    params["next"] = context.get("current_path") or "/"
    return f"{url}?{urlencode(params)}"
