"""Template tags for the page frame: site name, main menu, switches, and `{% cached %}`, the
fragment cache every template uses (keys through portal.versions like any other cached value);
the language mark of editors' content, `<time datetime>` values, `tel:` links, share tags."""

import datetime as dt
import hashlib
import re

from django import template
from django.conf import settings
from django.template.base import token_kwargs
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from portal import versions
from portal.models import SiteSettings
from portal.page_tree import site_sections

register = template.Library()


@register.simple_tag(takes_context=True)
def site_name(context):
    """The Wagtail site's name, or the portal's default name."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    return (site and site.site_name) or settings.WAGTAIL_SITE_NAME


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The live pages marked "show in menus" directly under the site's root page, from the
    site's sections (portal.page_tree.site_sections: cached until the page tree changes)."""
    return [
        {"title": section.title, "url": section.url}
        for section in site_sections(context.get("request"))
        if section.in_menu
    ]


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


# ---- Language, dates and phone numbers in page text ----

CONTENT_LANGUAGE = "zh-hans"


@register.simple_tag
def content_lang():
    """` lang="zh-Hans"` on an element holding what editors wrote, while the interface is in
    another language (WCAG 3.1.2): the portal's content is written in Chinese only."""
    if (get_language() or CONTENT_LANGUAGE).lower() == CONTENT_LANGUAGE:
        return ""
    return mark_safe(' lang="zh-Hans"')


@register.filter
def content_span(value):
    """Editors' `value` inside a translated sentence: in a `<span lang="zh-Hans">` while the
    interface is in another language (what `content_lang` does for a whole element)."""
    if (get_language() or CONTENT_LANGUAGE).lower() == CONTENT_LANGUAGE:
        return value
    return format_html('<span lang="zh-Hans">{}</span>', value)


@register.filter
def html_datetime(value):
    """A date or time as a valid `<time datetime>`: to the second, with its offset; a date
    alone as YYYY-MM-DD. (Django's `date:'c'` adds microseconds, which HTML does not allow.)"""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


_PHONE = re.compile(r"(?<![\d+])(\+?\d[\d\- ]{1,18}\d|\d{3,})(?![\d])")


def tel_href(number):
    """`tel:` target of a number as people write it: digits (and a leading +) only."""
    return "tel:" + re.sub(r"[^\d+]", "", str(number))


@register.filter(name="tel_href")
def tel_href_filter(number):
    return tel_href(number)


@register.filter(needs_autoescape=True)
def tel_links(text, autoescape=True):
    """Plain text with each phone number (110, 12345, 010-6543 2100) made a `tel:` link that
    does not wrap; for emergency numbers and other numbers that editors write as text."""
    if not text:
        return ""
    escape = conditional_escape if autoescape else str
    parts, last = [], 0
    source = str(text)
    for match in _PHONE.finditer(source):
        digits = re.sub(r"\D", "", match.group(0))
        if len(digits) < 3:
            continue
        parts.append(escape(source[last : match.start()]))
        parts.append(
            format_html('<a class="tel" href="{}">{}</a>', tel_href(match.group(0)), match.group(0))
        )
        last = match.end()
    parts.append(escape(source[last:]))
    return mark_safe("".join(str(part) for part in parts))


# ---- Sharing: description, Open Graph, canonical address ----

DESCRIPTION_LENGTH = 120


def _plain(value):
    text = " ".join(strip_tags(str(value or "")).split())
    if len(text) > DESCRIPTION_LENGTH:
        text = text[: DESCRIPTION_LENGTH - 1].rstrip() + "…"
    return text


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context, title="", description=""):
    """The page's description and share tags (Open Graph), with absolute addresses: what a
    link pasted into WeChat or another app shows. The description is, in order: the one given,
    the page's search description, its introduction, the site's description."""
    request = context.get("request")
    page = context.get("page")
    name = site_name(context)
    text = _plain(description)
    if not text and page is not None:
        text = _plain(getattr(page, "search_description", "")) or _plain(
            getattr(page, "introduction", "")
        )
    if not text:
        text = _plain(head_settings(context).get("description", ""))
    if not title and page is not None:
        title = getattr(page, "seo_title", "") or page.title
    absolute = request.build_absolute_uri if request else (lambda url: url)
    return {
        "description": text,
        "title": _plain(title) or name,
        "site_name": name,
        "url": absolute(request.path) if request else "",
        "image": absolute(static(SHARE_IMAGE)),
        "image_size": SHARE_IMAGE_SIZE,
        "locale": "zh_CN",
        "content_lang": content_lang(),
    }


# The site settings every page's head shows (the description for pages without their own, the
# government-site meta tags): kept, so a page's head costs no query.
HEAD_SETTINGS = ("description", "government_mode", "site_id_code", "sponsor")


@register.simple_tag(takes_context=True)
def head_settings(context):
    """The site settings in HEAD_SETTINGS, as a dict, kept until the pages' version changes
    (a change of site settings raises it); {} without a site."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {}

    def build():
        site_settings = SiteSettings.for_request(request)
        return {name: getattr(site_settings, name) for name in HEAD_SETTINGS}

    return versions.cached(
        "portal:head-settings", site.pk, build=build, depends_on=[versions.PAGES]
    )


SHARE_IMAGE = "img/share.png"
SHARE_IMAGE_SIZE = 512


@register.simple_tag(takes_context=True)
def hotline(context):
    """The 12345 hotline of the request's site (site settings; "" when none is set), for
    `{% hotline as number %}` on any page: the footer, the feedback form."""
    request = context.get("request")
    return SiteSettings.for_request(request).hotline if request else ""
