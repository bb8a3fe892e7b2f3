"""The fieldwork app's models, one module per part of the grid worker's day:

- patrols: the daily patrol (巡查), its findings (发现) and photos: the field log (民情日志);
- visits: household visits (入户走访), including follow-up visits (回访);
- slips: the lines (条线) and the handover slips (工作单) passed on to them.
"""

from .patrols import FindingOutcome, Patrol, PatrolFinding, PatrolPhoto
from .slips import HandoverSlip, HandoverSlipEvent, Line, SlipState
from .visits import Visit, VisitPurpose

__all__ = [
    "FindingOutcome",
    "HandoverSlip",
    "HandoverSlipEvent",
    "Line",
    "Patrol",
    "PatrolFinding",
    "PatrolPhoto",
    "SlipState",
    "Visit",
    "VisitPurpose",
]
