"""Template tags the grids and notices apps' templates call: a grid page's statistics block and
its "rate this grid's service" link, and a publicity page's objection link (feedback sits above
grids and notices, so neither imports it)."""

from django import template
from django.core.cache import cache
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import Site

from .. import stats
from ..stats_views import chart_context

register = template.Library()
STATISTICS_CACHE_SECONDS = 5 * 60


@register.inclusion_tag("feedback/includes/grid_statistics.html", takes_context=True)
def grid_statistics(context, page, months=6):
    """Cases, on-time closure and satisfaction of the last months, and this quarter's survey."""
    # Public figures may lag a few minutes; caching them keeps a grid page's query count fixed.
    key = f"feedback:grid-statistics:{page.pk}:{months}:{timezone.localdate().isoformat()}"
    data = cache.get(key)
    if data is None:
        rows = stats.monthly_figures(stats.Feedback.objects.filter(grid=page), months=months)
        data = chart_context(rows, stats.survey_figures(page, quarters=1), prefix=f"grid-{page.pk}")
        cache.set(key, data, STATISTICS_CACHE_SECONDS)
    data = dict(data)
    data.update({"grid": page, "request": context.get("request")})
    return data


@register.simple_tag(takes_context=True)
def objection_url(context, publicity):
    """The feedback form page's own address, pre-set for an objection to `publicity`; "" when
    the site has no live feedback form page."""
    from ..models import FeedbackFormPage

    request = context.get("request")
    pages = FeedbackFormPage.objects.live().public()
    site = Site.find_for_request(request) if request is not None else None
    form_page = (pages.in_site(site) if site is not None else pages).first()
    if form_page is None:
        return ""
    query = urlencode({"category": "objection", "publicity": publicity.pk})
    return f"{form_page.get_url(request)}?{query}"
