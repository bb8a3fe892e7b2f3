"""The public statistics page: per grid and month, and the grid survey per quarter.

The page narrows by area first, so its size does not grow with the city: without a choice it
lists the communities (a select and a table of their totals); `?community=<id>` lists that
community's grids; `?grid=<id>` shows one grid (its community's grids stay in the select).
"""

from django.shortcuts import render
from django.utils.translation import gettext as _

from grids.context import communities
from grids.models import GridPage
from portal.parsing import parse_id

from .. import stats
from .charts import bar_chart, distribution_chart


def _chosen(request, community_list):
    """(community, grid) the query names; a grid outside the named community is dropped (the
    resident changed the community), a grid alone brings its community."""
    by_pk = {area.pk: area for area in community_list}
    community = by_pk.get(parse_id(request.GET.get("community")))
    pk = parse_id(request.GET.get("grid"))
    grid = GridPage.objects.live().filter(pk=pk).first() if pk is not None else None
    if grid is not None:
        own = grid.community()
        if community is not None and (own is None or own.pk != community.pk):
            return community, None
        community = by_pk.get(own.pk) if own is not None else None
    return community, grid


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
    """Figures for all, one community or one grid; charts with the same figures as tables."""
    community_list = communities()
    community, grid = _chosen(request, community_list)
    cases = stats.Feedback.objects.all()
    if grid is not None:
        cases = cases.filter(grid=grid)
    elif community is not None:
        cases = cases.filter(community=community)
    rows = stats.monthly_figures(cases, months=12)
    survey = stats.survey_figures(grid, quarters=4, area=community if grid is None else None)
    context = chart_context(rows, survey)
    grids = []
    if community is not None:
        grids = list(
            GridPage.objects.live()
            .descendant_of(community)
            .only("pk", "title", "code", "path", "depth")
            .order_by("code")
        )
    if grid is not None:
        totals = []
    elif community is not None:
        figures = stats.per_grid_figures(grids=grids, months=12)
        totals = [(g, f"?grid={g.pk}", stats.totals(rows)) for g, rows in figures.items()]
    else:
        figures = stats.per_community_figures(communities=community_list, months=12)
        totals = [(a, f"?community={a.pk}", stats.totals(rows)) for a, rows in figures.items()]
    context.update(
        {
            "grid": grid,
            "community": community,
            "communities": community_list,
            "grids": grids,
            "grid_totals": totals,
        }
    )
    return render(request, "feedback/statistics_page.html", context)
