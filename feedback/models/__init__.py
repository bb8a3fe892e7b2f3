"""The feedback app's models: categories and routing, cases and their records, the form page."""

from .cases import (
    TRACKING_ALPHABET,
    Delivery,
    Feedback,
    FeedbackEvent,
    FeedbackPhoto,
    MobileCode,
    SmsDelivery,
    SmsStatus,
    TicketCounter,
    new_tracking_code,
    normalise_tracking_code,
)
from .open311 import Open311Key
from .pages import FeedbackFormPage
from .routing import FeedbackCategory, RoutingRule, ServiceCentre

__all__ = [
    "TRACKING_ALPHABET",
    "Delivery",
    "Feedback",
    "FeedbackCategory",
    "FeedbackEvent",
    "FeedbackFormPage",
    "FeedbackPhoto",
    "MobileCode",
    "Open311Key",
    "RoutingRule",
    "ServiceCentre",
    "SmsDelivery",
    "SmsStatus",
    "TicketCounter",
    "new_tracking_code",
    "normalise_tracking_code",
]
from .handling import (
    CentreMembership,
    ContactViewLog,
    ExtensionRequest,
    FieldLogEntry,
    FollowUp,
    GridSurveyRating,
    Rating,
    RatingAppeal,
    ReplyTemplate,
)

__all__ += [
    "CentreMembership",
    "ContactViewLog",
    "ExtensionRequest",
    "FieldLogEntry",
    "FollowUp",
    "GridSurveyRating",
    "Rating",
    "RatingAppeal",
    "ReplyTemplate",
]
