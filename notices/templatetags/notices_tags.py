"""Template tags through which other pages show notices: the urgent banner, the latest notices
and a grid's notices. Their lists come from the shared cache (notices.cache), so the pages
that show them cost no query for them."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from portal import versions
from portal.page_tree import public, section_url

from ..cache import TIMEOUT, cached_list
from ..masking import mask
from ..models import NoticeIndexPage, NoticePage, urgent_notices
from ..models.notices import notices_for_grid as grid_notices

register = template.Library()
LATEST_NOTICES = 5
BANNER_NOTICES = 3
BANNER_TEMPLATE = "notices/includes/urgent_banner.html"


def _newest(queryset):
    return queryset.select_related("category").order_by("-publication_date", "-first_published_at")


def _index_url(request):
    """The notice index's address under the request's site (None without one): a section of
    the site (portal.page_tree.site_sections), so the page frame's one query finds it."""
    return section_url(request, NoticeIndexPage)


@register.simple_tag(takes_context=True)
def urgent_banner(context):
    """The banner of live, unexpired urgent notices; shown on every page by base.html. Kept as
    HTML per day and language, like the list it shows (notices.cache); the notice index's
    address is asked for only when the banner links to it."""
    request = context.get("request")

    def build():
        urgent = cached_list(
            "urgent", lambda: urgent_notices().select_related("category")[:BANNER_NOTICES]
        )
        return render_to_string(
            BANNER_TEMPLATE, {"urgent": urgent, "index_url": lambda: _index_url(request)}
        )

    return versions.cached(
        "notices:banner",
        timezone.localdate().isoformat(),
        get_language(),
        build=build,
        depends_on=[versions.NOTICES, versions.PAGES],
        timeout=TIMEOUT,
    )


@register.inclusion_tag("notices/includes/latest_notices.html", takes_context=True)
def latest_notices(context, count=LATEST_NOTICES):
    """The newest live notices of the whole site, for the home page."""
    notices = cached_list(
        f"latest:{count}", lambda: _newest(public(NoticePage.objects.live()))[:count]
    )
    return {"notices": notices, "request": context.get("request")}


@register.inclusion_tag("notices/includes/grid_notices.html", takes_context=True)
def notices_for_grid(context, grid, count=10):
    """The notices a grid page lists: aimed at this grid or the whole community."""
    notices = cached_list(f"grid:{grid.pk}:{count}", lambda: grid_notices(grid)[:count])
    return {
        "grid": grid,
        "notices": notices,
        "index_url": _index_url(context.get("request")),
        "request": context.get("request"),
    }


@register.filter(name="mask")
def mask_filter(value):
    """Mask ID numbers, mobiles and landlines in a value (the one masking function)."""
    return mask(value)


@register.filter(name="mask_name")
def mask_name_filter(value):
    """Mask a person's name (张*三) and any numbers in it."""
    return mask(value, as_name=True)
