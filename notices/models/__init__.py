"""The notices app's models: categories and matters, notices, approval publicity, alerts."""

from .alerts import AlertDelivery, AlertSubscriber, AlertSubscription
from .categories import ApprovalMatter, NoticeCategory
from .notices import (
    NoticeIndexPage,
    NoticePage,
    NoticeStreamBlock,
    notices_for_grid,
    urgent_notices,
)
from .publicity import (
    PUBLICITY_WORKFLOW_NAME,
    ApprovalIndexPage,
    ApprovalOutcome,
    ApprovalOutcomePage,
    ApprovalStage,
    assign_publicity_workflow,
)
from .review import PublicityReviewTask, may_publish_publicity_directly

__all__ = [
    "AlertDelivery",
    "AlertSubscriber",
    "AlertSubscription",
    "PUBLICITY_WORKFLOW_NAME",
    "ApprovalIndexPage",
    "ApprovalMatter",
    "ApprovalOutcome",
    "ApprovalOutcomePage",
    "ApprovalStage",
    "NoticeCategory",
    "NoticeIndexPage",
    "NoticePage",
    "NoticeStreamBlock",
    "PublicityReviewTask",
    "assign_publicity_workflow",
    "may_publish_publicity_directly",
    "notices_for_grid",
    "urgent_notices",
]
