"""Template tags the grids and notices apps' templates call: a grid page's statistics block and
its "rate this grid's service" link, and a publicity page's objection link (feedback sits above
grids and notices, so neither imports it)."""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from wagtail.models import Site

from portal import versions

from .. import stats
from ..models import FeedbackFormPage
from ..public.stats_views import chart_context

register = template.Library()
STATISTICS_CACHE_SECONDS = 5 * 60
STATISTICS_TEMPLATE = "feedback/includes/grid_statistics.html"


@register.simple_tag
def grid_statistics(page, months=6):
    """Cases, on-time closure and satisfaction of the last months, and this quarter's survey:
    the block as HTML (feedback/includes/grid_statistics.html)."""
    # Public figures may lag a few minutes; caching the block keeps a grid page's query count
    # and its rendering time small. It depends on no version (every new case would raise it):
    # kept for a few minutes, and under the day, whose change moves the months and quarter
    # counted, and the language it is written in.

    def build():
        rows = stats.monthly_figures(stats.Feedback.objects.filter(grid=page), months=months)
        data = chart_context(rows, stats.survey_figures(page, quarters=1), prefix=f"grid-{page.pk}")
        return render_to_string(STATISTICS_TEMPLATE, {**data, "grid": page})

    return versions.cached(
        "feedback:grid-statistics",
        page.pk,
        months,
        timezone.localdate().isoformat(),
        get_language(),
        build=build,
        timeout=STATISTICS_CACHE_SECONDS,
    )


@register.simple_tag(takes_context=True)
def objection_url(context, publicity):
    """The feedback form page's own address, pre-set for an objection to `publicity`; "" when
    the site has no live feedback form page."""
    request = context.get("request")
    pages = FeedbackFormPage.objects.live().public()
    site = Site.find_for_request(request) if request is not None else None
    form_page = (pages.in_site(site) if site is not None else pages).first()
    if form_page is None:
        return ""
    query = urlencode({"category": "objection", "publicity": publicity.pk})
    return f"{form_page.get_url(request)}?{query}"
