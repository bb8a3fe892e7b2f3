"""Fixed choices of the feedback app: work types, deadline units, case states, sources, roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkType(models.TextChoices):
    """The kind of work a category of feedback asks for (from the community plans)."""

    ROUTINE = "routine", _("一般性事务")
    COORDINATION = "coordination", _("协调性事务")
    EMERGENCY = "emergency", _("突发性事件")
    OBJECTION = "objection", _("审批性事务（公示异议）")
    SUGGESTION = "suggestion", _("意见建议")
    PRAISE = "praise", _("表扬")
    COMPLAINT = "complaint", _("投诉")


class DeadlineUnit(models.TextChoices):
    """How a category's deadline is counted on the working calendar."""

    WORKING_DAYS = "working_days", _("工作日")
    WORKING_HOURS = "working_hours", _("工作小时")


class CaseState(models.TextChoices):
    """The states of a case: 受理 → 派遣 → 处置 → 核查 → 办结 → 评价, and the side paths."""

    RECEIVED = "received", _("受理")
    DISPATCHED = "dispatched", _("派遣")
    IN_PROGRESS = "in_progress", _("处置")
    VERIFIED = "verified", _("核查")
    CLOSED = "closed", _("办结")
    RATED = "rated", _("评价")
    RETURNED = "returned", _("退回")
    EXTENDED = "extended", _("延期")
    REOPENED = "reopened", _("重新办理")


class Source(models.TextChoices):
    """How a case reached the portal."""

    WEB = "web", _("网站")
    PHONE = "phone", _("电话")
    WALK_IN = "walk_in", _("来访")
    OPEN311 = "open311", _("Open311接口")
    PATROL = "patrol", _("巡查发现")


class RecipientKind(models.TextChoices):
    """Who a routing rule sends a new case to (and who a delivery went to)."""

    ON_DUTY_WORKER = "on_duty_worker", _("在岗网格员")
    SERVICE_CENTRE = "service_centre", _("社区服务中心")
    LISTED_ADDRESSES = "listed_addresses", _("指定邮箱（如值班领导）")
    PUBLICITY_OFFICE = "publicity_office", _("公示所列受理异议的部门")
    RESIDENT = "resident", _("居民（受理回执）")


class RoleLabel(models.TextChoices):
    """The role shown beside a timeline event (residents see roles, never staff names)."""

    RESIDENT = "resident", _("居民")
    SYSTEM = "system", _("系统")
    GRID_WORKER = "grid_worker", _("网格员")
    SERVICE_CENTRE = "service_centre", _("社区服务中心")
    LEADER = "leader", _("值班领导")


class DeliveryPurpose(models.TextChoices):
    """Why an e-mail about a case was sent; one delivery per recipient and purpose."""

    NEW_CASE = "new_case", _("新诉求通知")
    ACKNOWLEDGEMENT = "acknowledgement", _("受理回执")
    REPLY = "reply", _("答复居民")
    CLOSED = "closed", _("办结通知")
    ESCALATION = "escalation", _("超期督办")
    FOLLOW_UP = "follow_up", _("回访答复")


class RatingLevel(models.IntegerChoices):
    """The five levels of a rating (好差评) and of the grid survey."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    FAIRLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class SurveyAspect(models.TextChoices):
    """What a grid survey rating is about."""

    ATTITUDE = "attitude", _("网格员的态度")
    SPEED = "speed", _("响应速度")
    RESULTS = "results", _("办理结果")


class ExtensionState(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class AppealDecision(models.TextChoices):
    PENDING = "pending", _("待复核")
    UPHELD = "upheld", _("维持评价")
    OVERTURNED = "overturned", _("撤销评价（不计入统计）")
