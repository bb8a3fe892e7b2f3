"""Template tags the grids app's templates call: a grid page's statistics block and its
"rate this grid's service" link (feedback sits above grids, so grids never imports it)."""

from django import template

from .. import stats
from ..stats_views import chart_context

register = template.Library()


@register.inclusion_tag("feedback/includes/grid_statistics.html", takes_context=True)
def grid_statistics(context, page, months=6):
    """Cases, on-time closure and satisfaction of the last months, and this quarter's survey."""
    rows = stats.monthly_figures(stats.Feedback.objects.filter(grid=page), months=months)
    data = chart_context(rows, stats.survey_figures(page, quarters=1), prefix=f"grid-{page.pk}")
    data.update({"grid": page, "request": context.get("request")})
    return data
