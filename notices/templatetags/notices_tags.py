"""Template tags through which other pages show notices: the urgent banner, latest notices."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.models import Site

from portal.page_cache import cached_for_pages

from ..masking import mask
from ..models import NoticePage, urgent_notices

register = template.Library()
LATEST_NOTICES = 5


@register.inclusion_tag("notices/includes/urgent_banner.html", takes_context=True)
def urgent_banner(context):
    """The banner of live, unexpired urgent notices; shown on every page by base.html.

    Cached until a page is published or unpublished, and per day, since notices expire by date.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None

    def build():
        return [
            {
                "title": notice.title,
                "url": notice.get_url(request),
                "valid_until": notice.valid_until,
            }
            for notice in urgent_notices().specific()[:3]
        ]

    urgent = cached_for_pages(
        "urgent-banner", build, site.pk if site else 0, timezone.localdate().isoformat()
    )
    return {"urgent": urgent, "request": request}


@register.inclusion_tag("notices/includes/latest_notices.html", takes_context=True)
def latest_notices(context, count=LATEST_NOTICES):
    """The newest live notices of the whole site, for the home page."""
    notices = (
        NoticePage.objects.live()
        .public()
        .select_related("category")
        .order_by("-publication_date", "-first_published_at")[:count]
    )
    return {"notices": list(notices), "request": context.get("request")}


@register.filter(name="mask")
def mask_filter(value):
    """Mask ID numbers, mobiles and landlines in a value (the one masking function)."""
    return mask(value)


@register.filter(name="mask_name")
def mask_name_filter(value):
    """Mask a person's name (张*三) and any numbers in it."""
    return mask(value, as_name=True)


@register.simple_tag(takes_context=True)
def notices_for_grid(context, grid, count=10):
    """The notices a grid page lists: aimed at this grid or the whole community.

    The rendered list is cached until a page is published or unpublished (and per day and
    language), so a grid page's query count does not grow with the notices it shows.
    """
    from ..models import NoticeIndexPage
    from ..models.notices import notices_for_grid as grid_notices

    request = context.get("request")

    def build():
        index = NoticeIndexPage.objects.live().public().order_by("path").first()
        return render_to_string(
            "notices/includes/grid_notices.html",
            {"grid": grid, "notices": list(grid_notices(grid)[:count]), "index": index},
            request=request,
        )

    html = cached_for_pages(
        "grid-notices", build, grid.pk, count, timezone.localdate().isoformat(), get_language()
    )
    return mark_safe(html)  # noqa: S308  (rendered by our own template above)
