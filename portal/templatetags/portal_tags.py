"""Template tags for the page frame: site name, main menu, switches, and `{% cached %}`, the
fragment cache every template uses (keys through portal.versions like any other cached value)."""

import hashlib

from django import template
from django.conf import settings
from django.template.base import token_kwargs
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.models import Site

from portal import versions

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

    return versions.cached("portal:main-menu", site.pk, build=build, depends_on=[versions.PAGES])


@register.simple_tag(takes_context=True)
def switch_url(context, name, **params):
    """A switch link (language, care mode) that returns the resident to the page they were on."""
    code = params.pop("code", None)
    url = reverse(name, kwargs={"code": code}) if code else reverse(name)
    params["next"] = context.get("current_path") or "/"
    return f"{url}?{urlencode(params)}"


class CachedNode(template.Node):
    def __init__(self, nodelist, prefix, vary_on, depends_on, timeout):
        self.nodelist, self.prefix, self.vary_on = nodelist, prefix, vary_on
        self.depends_on, self.timeout = depends_on, timeout

    def render(self, context):
        depends_on = self.depends_on.resolve(context) if self.depends_on else ""
        timeout = int(self.timeout.resolve(context)) if self.timeout else 60 * 60
        # The values a fragment varies on may be long or hold any character (a path): hashed.
        vary = "\x1f".join(str(value.resolve(context)) for value in self.vary_on)
        return versions.cached(
            self.prefix.resolve(context),
            hashlib.blake2b(vary.encode(), digest_size=16).hexdigest(),
            build=lambda: self.nodelist.render(context),
            depends_on=[name for name in depends_on.split(",") if name],
            timeout=timeout,
        )


@register.tag("cached")
def do_cached(parser, token):
    """`{% cached "prefix" value… depends_on="pages,grids" timeout=3600 %}…{% endcached %}`:
    the fragment, kept under a registered prefix (portal.versions.PREFIXES), the values it varies
    on and the current versions of the data it shows, so any change to that data renews it."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% cached %} needs a key prefix")
    nodelist = parser.parse(("endcached",))
    parser.delete_first_token()
    positional = [bit for bit in bits[2:] if "=" not in bit]
    options = token_kwargs([bit for bit in bits[2:] if "=" in bit], parser)
    unknown = set(options) - {"depends_on", "timeout"}
    if unknown:
        raise template.TemplateSyntaxError(f"{{% cached %}} has no option {sorted(unknown)}")
    return CachedNode(
        nodelist,
        parser.compile_filter(bits[1]),
        [parser.compile_filter(bit) for bit in positional],
        options.get("depends_on"),
        options.get("timeout"),
    )
