"""The grids app's models: the area tree (pages), grid workers, grid levels."""

from .pages import (
    GRID_ROUTE_RELATED,
    AreaPage,
    BoundaryPage,
    GridAddress,
    GridPage,
    GridTeamMember,
    TilingError,
    grids_for_user,
    grids_on_duty_for_user,
    route_below,
)
from .workers import GridLevel, GridWorker, LeavePeriod

__all__ = [
    "GRID_ROUTE_RELATED",
    "AreaPage",
    "BoundaryPage",
    "GridAddress",
    "GridLevel",
    "GridPage",
    "GridTeamMember",
    "GridWorker",
    "LeavePeriod",
    "TilingError",
    "grids_for_user",
    "grids_on_duty_for_user",
    "route_below",
]
