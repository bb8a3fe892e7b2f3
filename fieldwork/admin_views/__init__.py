"""The staff side of the grid worker's day, in the Wagtail admin (responsive, so a phone works):
the field log (/admin/fieldwork/patrols/), household visits (/admin/fieldwork/visits/) and
handover slips (/admin/fieldwork/slips/), with the week's summary per grid and the report of
grids with no patrol on a working day.

Every view takes its records from fieldwork.visibility (a record the account may not see is a
404 on GET and POST alike) and checks the model permission the role was granted
(fieldwork.setup) through the viewset's permission policy."""

from .dashboard import today_counts
from .patrols import PatrolViewSet
from .slips import HandoverSlipViewSet
from .visits import VisitViewSet

__all__ = ["HandoverSlipViewSet", "PatrolViewSet", "VisitViewSet", "today_counts"]
