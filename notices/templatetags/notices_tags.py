"""Template tags through which other pages show notices: the urgent banner, latest notices."""

from django import template

from ..masking import mask
from ..models import NoticePage, urgent_notices

register = template.Library()
LATEST_NOTICES = 5


@register.inclusion_tag("notices/includes/urgent_banner.html", takes_context=True)
def urgent_banner(context):
    """The banner of live, unexpired urgent notices; shown on every page by base.html."""
    return {"urgent": list(urgent_notices().specific()[:3]), "request": context.get("request")}


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


@register.inclusion_tag("notices/includes/grid_notices.html", takes_context=True)
def notices_for_grid(context, grid, count=10):
    """The notices a grid page lists: aimed at this grid or the whole community."""
    from ..models import NoticeIndexPage
    from ..models.notices import notices_for_grid as grid_notices

    index = NoticeIndexPage.objects.live().public().order_by("path").first()
    return {
        "grid": grid,
        "notices": list(grid_notices(grid)[:count]),
        "index": index,
        "request": context.get("request"),
    }
