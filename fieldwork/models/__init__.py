"""The fieldwork app's models, one module per part of the grid worker's day:

- patrols: the daily patrol (巡查), its findings (发现) and photos: the field log (民情日志);
- visits: household visits (入户走访), including follow-up visits (回访);
- slips: the lines (条线) and the handover slips (工作单) passed on to them;
- meetings: the weekly analysis meeting (民情分析会) and its decisions;
- assessment: assessment (考核) weights and results;
- reviews: two-way reviews (双向点评).
"""

from .assessment import Assessment, AssessmentPeriod, AssessmentWeights
from .meetings import MeetingDecision, WeeklyMeeting
from .patrols import FindingOutcome, Patrol, PatrolFinding, PatrolPhoto
from .reviews import (
    ImprovementAction,
    Review,
    ReviewAspect,
    ReviewCampaign,
    ReviewPair,
    ReviewScore,
)
from .slips import HandoverSlip, HandoverSlipEvent, Line, SlipState
from .visits import Visit, VisitPurpose

__all__ = [
    "Assessment",
    "AssessmentPeriod",
    "AssessmentWeights",
    "FindingOutcome",
    "HandoverSlip",
    "HandoverSlipEvent",
    "ImprovementAction",
    "Line",
    "MeetingDecision",
    "Patrol",
    "PatrolFinding",
    "PatrolPhoto",
    "Review",
    "ReviewAspect",
    "ReviewCampaign",
    "ReviewPair",
    "ReviewScore",
    "SlipState",
    "Visit",
    "VisitPurpose",
    "WeeklyMeeting",
]
