"""The public statistics page: per grid and month, and the grid survey per quarter."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from grids.models import GridPage
from portal.parsing import parse_id

from .. import stats
from .charts import bar_chart, distribution_chart


def _grid_from(request):
    pk = parse_id(request.GET.get("grid"))
    if pk is None:
        return None
    return GridPage.objects.live().filter(pk=pk).first()


def chart_context(rows, survey_rows, prefix="stats"):
    labels = [row.month for row in rows]
    total = stats.totals(rows)
    return {
        "rows": rows,
        "total": total,
        "survey_rows": survey_rows,
        "cases_chart": bar_chart(
            f"{prefix}-cases",
            _("每月受理和办结的诉求数"),
            labels,
            [
                (_("受理"), [row.received for row in rows]),
                (_("办结"), [row.closed for row in rows]),
            ],
        ),
        "ratings_chart": distribution_chart(
            f"{prefix}-ratings",
            _("评价分布"),
            [(str(label), count) for _level, label, count in total.level_list],
        ),
    }


def statistics_page(request):
    """Figures for all grids together or for one grid; charts with the same figures as tables."""
    grid = _grid_from(request)
    cases = stats.Feedback.objects.all()
    if grid is not None:
        cases = cases.filter(grid=grid)
    rows = stats.monthly_figures(cases, months=12)
    context = chart_context(rows, stats.survey_figures(grid, quarters=4))
    grids = list(GridPage.objects.live().order_by("code"))
    context.update(
        {
            "grid": grid,
            "grids": grids,
            "grid_totals": []
            if grid is not None
            else [
                (g, stats.totals(figures))
                for g, figures in stats.per_grid_figures(grids=grids, months=12).items()
            ],
        }
    )
    return render(request, "feedback/statistics_page.html", context)
