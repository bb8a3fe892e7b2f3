"""The fieldwork app's models, one module per part of the grid worker's day."""

from .assessment import Assessment, AssessmentPeriod, AssessmentWeights
from .meetings import MeetingDecision, WeeklyMeeting
from .reviews import (
    ImprovementAction,
    Review,
    ReviewAspect,
    ReviewCampaign,
    ReviewPair,
    ReviewScore,
)

__all__ = [
    "Assessment",
    "AssessmentPeriod",
    "AssessmentWeights",
    "ImprovementAction",
    "MeetingDecision",
    "Review",
    "ReviewAspect",
    "ReviewCampaign",
    "ReviewPair",
    "ReviewScore",
    "WeeklyMeeting",
]
