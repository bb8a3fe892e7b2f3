"""Template tags fieldwork offers to lower apps' pages: the published assessment figures per
grid on the public statistics page (网格管理服务公示). Figures only, and the worker's public
name; nothing else about a person."""

from django import template

from ..models import Assessment, AssessmentPeriod, ReviewCampaign
from ..models.assessment import PARTS

register = template.Library()


def _latest(kind, grid):
    published = Assessment.objects.filter(kind=kind, published=True, grid__live=True)
    if grid is not None:
        published = published.filter(grid=grid)
    period = published.order_by("-period").values_list("period", flat=True).first()
    if period is None:
        return None
    rows = published.filter(period=period).select_related("grid", "worker").order_by("grid__code")
    return {"period": period, "kind": AssessmentPeriod(kind).label, "rows": list(rows)}


@register.inclusion_tag("fieldwork/includes/assessment_tables.html")
def grid_assessments(grid=None):
    """The latest published monthly and yearly assessment, of one grid or of every grid, and a
    link to the two-way review results when any are public."""
    tables = [
        table
        for table in (_latest(AssessmentPeriod.MONTH, grid), _latest(AssessmentPeriod.YEAR, grid))
        if table is not None
    ]
    return {
        "tables": tables,
        "parts": [label for _w, _f, label in PARTS],
        "reviews_published": ReviewCampaign.objects.filter(is_public=True).exists(),
    }
