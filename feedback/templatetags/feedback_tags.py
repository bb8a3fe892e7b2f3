"""Template tags the grids app's templates call: a grid page's statistics block and its
"rate this grid's service" link (feedback sits above grids, so grids never imports it)."""

from django import template
from django.core.cache import cache
from django.utils import timezone

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
