"""Demo cases spread over every state — some overdue, some rated (one poor rating with its
follow-up) — plus reply templates, a service-centre membership and grid survey ratings, so
the inbox, the tracking page and the statistics show real content.

Idempotent: each case is found by its subject, each other record by a stable key; nothing
that exists is changed. Dates are set relative to the first run.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from grids.models import GridPage

from .enums import AppealDecision, CaseState, ExtensionState, RoleLabel, Source
from .models import (
    TRACKING_ALPHABET,
    CentreMembership,
    ExtensionRequest,
    Feedback,
    FeedbackCategory,
    FeedbackEvent,
    FieldLogEntry,
    FollowUp,
    GridSurveyRating,
    Rating,
    RatingAppeal,
    ReplyTemplate,
    ServiceCentre,
)
from .public.survey import quarter_of

# The tracking code of the first demo case, printed by load_demo for trying the tracking page.
DEMO_TRACKING_CODE = "DEM7A4KQ9TRC"

S = CaseState
# subject, category, days ago, path of states, reply, rating (level, comment), extra
DEMO_CASES = [
    (
        "3号楼前路灯不亮",
        "设施报修",
        40,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED, S.RATED],
        "已更换灯泡，路灯恢复照明。",
        (5, "修得很快，谢谢！"),
        {},
    ),
    (
        "小区东门垃圾堆放",
        "环境卫生",
        70,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED, S.RATED],
        "已联系环卫清运，并增加了清运频次。",
        (4, ""),
        {},
    ),
    (
        "健身器材螺丝松动",
        "设施报修",
        100,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED, S.RATED],
        "已紧固螺丝，并贴了使用提示。",
        (3, "基本解决，希望定期检查。"),
        {},
    ),
    (
        "楼道堆放杂物影响通行",
        "环境卫生",
        55,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED, S.RATED],
        "已与住户沟通，杂物已清理。",
        (1, "过了几天又堆上了。"),
        {"follow_up": True},
    ),
    (
        "楼上漏水到我家",
        "邻里纠纷",
        20,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED],
        "已约双方协商，楼上住户已请人维修防水。",
        None,
        {},
    ),
    (
        "井盖松动有响声",
        "设施报修",
        12,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED],
        "已通知市政部门更换井盖。",
        None,
        {},
    ),
    ("自行车棚照明坏了", "设施报修", 9, [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED], "", None, {}),
    ("绿地里有积水", "环境卫生", 18, [S.DISPATCHED, S.IN_PROGRESS], "", None, {"escalated": True}),
    ("邻居装修噪音太晚", "邻里纠纷", 6, [S.DISPATCHED, S.IN_PROGRESS], "", None, {}),
    (
        "消防通道被车辆占用",
        "设施报修",
        14,
        [S.DISPATCHED, S.IN_PROGRESS, S.EXTENDED],
        "",
        None,
        {"extension": True},
    ),
    ("建议增设休息座椅", "意见建议", 3, [S.DISPATCHED], "", None, {}),
    ("单元门禁坏了", "设施报修", 11, [S.DISPATCHED], "", None, {"escalated": True}),
    ("草坪里有流浪狗", "环境卫生", 1, [], "", None, {}),
    ("垃圾分类桶标识不清", "环境卫生", 10, [], "", None, {"escalated": True}),
    (
        "物业费收费标准咨询",
        "意见建议",
        25,
        [S.RETURNED],
        "",
        None,
        {"return_reason": "物业收费属于物业公司和业主委员会的事务，请向物业服务中心咨询。"},
    ),
    (
        "雨水管堵塞又复发",
        "设施报修",
        30,
        [S.DISPATCHED, S.IN_PROGRESS, S.VERIFIED, S.CLOSED, S.REOPENED],
        "已疏通雨水管。",
        None,
        {"reopen_note": "居民反映下雨后又堵塞，重新办理。"},
    ),
]

REPLY_TEMPLATES = [
    ("设施报修", "已安排维修", "您反映的问题已安排维修人员处理，预计近日修复。感谢您的反映。"),
    ("环境卫生", "已安排清理", "您反映的问题已通知保洁和环卫清理，我们会加强巡查。感谢您的反映。"),
    (None, "不属于社区职责", "您反映的事项不属于社区职责范围，建议向相关部门反映。感谢您的理解。"),
]


def _code(ctx, index):
    if index == 0:
        return DEMO_TRACKING_CODE
    return "".join(ctx.rng.choice(TRACKING_ALPHABET) for _i in range(12))


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _centre(grid, ctx):
    community = grid.community() if grid else None
    centre = ServiceCentre.for_community(community)
    if centre is None:
        centre = ServiceCentre.objects.create(
            name="明华社区服务中心（演示）",
            community=community,
            inbox_email="centre@example.org",
            head_email="centre-head@example.org",
            is_default=True,
        )
        ctx.created += 1
    return centre


def load(ctx):
    grids = list(GridPage.objects.live().order_by("code"))
    worker = _user("demo-gridworker")
    centre_user = _user("demo-centre")
    resident = _user("demo-resident")
    centre = _centre(grids[0] if grids else None, ctx)
    if (
        centre_user
        and not CentreMembership.objects.filter(centre=centre, user=centre_user).exists()
    ):
        CentreMembership.objects.create(centre=centre, user=centre_user, is_head=True)
        ctx.created += 1
    for category_name, title, body in REPLY_TEMPLATES:
        category = FeedbackCategory.objects.filter(name=category_name).first()
        if category_name and category is None:
            continue
        if not ReplyTemplate.objects.filter(title=title).exists():
            ReplyTemplate.objects.create(category=category, title=title, body=body)
            ctx.created += 1

    now = timezone.now().replace(microsecond=0)
    for index, (subject, category_name, days_ago, path, reply, rating, extra) in enumerate(
        DEMO_CASES
    ):
        if Feedback.objects.filter(subject=subject, message__startswith="（演示）").exists():
            continue
        category = (
            FeedbackCategory.objects.filter(name=category_name).first()
            or FeedbackCategory.objects.first()
        )
        grid = grids[index % len(grids)] if grids else None
        actor = worker or centre_user
        _make_case(
            ctx,
            index,
            subject,
            category,
            grid,
            now - dt.timedelta(days=days_ago),
            path,
            reply,
            rating,
            extra,
            actor,
            centre_user,
            resident if index == 0 else None,
            centre,
        )

    _survey(ctx, grids, resident)
    ctx.note(f"Demo tracking code (查询码) for /feedback/track/: {DEMO_TRACKING_CODE}")


def _event(case, state, actor, role, at, note="", action="", public=True):
    FeedbackEvent.objects.create(
        case=case,
        state=state,
        actor=actor,
        role_label=role,
        at=at,
        note=note,
        action=action or state.label,
        public=public,
    )


def _make_case(
    ctx,
    index,
    subject,
    category,
    grid,
    created,
    path,
    reply,
    rating,
    extra,
    actor,
    centre_user,
    submitter,
    centre,
):
    case = Feedback(
        tracking_code=_code(ctx, index),
        category=category,
        grid=grid,
        community=grid.community() if grid else None,
        subject=subject,
        message=f"（演示）{subject}，请尽快处理。",
        place=f"{(index % 9) + 1}号楼附近",
        contact_name="演示居民",
        contact_phone=f"1390000{index:04d}",
        contact_email=f"resident{index}@example.org",
        source=[Source.WEB, Source.PHONE, Source.WALK_IN][index % 3],
        created_at=created,
        submitter=submitter,
    )
    case.save()
    ctx.created += 1
    role = RoleLabel.GRID_WORKER
    moment = created
    step = dt.timedelta(hours=20)
    for state in path:
        moment += step
        if state == S.DISPATCHED:
            case.owner = centre_user or actor
            case.assignee = actor
            case.dispatched_at = moment
            case.deadline = category.deadline_from(moment)
            _event(case, state, centre_user, RoleLabel.SERVICE_CENTRE, moment)
            continue
        if state == S.RETURNED:
            case.owner = centre_user
            case.return_reason = extra["return_reason"]
            _event(case, state, centre_user, RoleLabel.SERVICE_CENTRE, moment, case.return_reason)
            continue
        if state == S.EXTENDED:
            ExtensionRequest.objects.create(
                case=case,
                requested_by=actor,
                reason="需要交警部门配合处理",
                working_days=5,
                state=ExtensionState.APPROVED,
                decided_by=centre_user,
                decided_at=moment,
                requested_at=moment - dt.timedelta(hours=2),
                decision_note="同意延期",
            )
            case.deadline = category.deadline_from(case.dispatched_at) + dt.timedelta(days=7)
            _event(
                case, state, centre_user, RoleLabel.SERVICE_CENTRE, moment, "需要交警部门配合处理"
            )
            continue
        if state == S.VERIFIED:
            # Verified by the service centre, never by the worker who handled the case.
            case.verified_at = moment
            case.verified_by = centre_user
            if reply:
                case.public_reply = reply
                case.replied_at = moment
                _event(case, "", actor, role, moment, reply, action="答复")
            _event(
                case, state, centre_user, RoleLabel.SERVICE_CENTRE, moment, "现场核查，问题已解决"
            )
            continue
        if state == S.IN_PROGRESS:
            case.handled_by = actor
        if state == S.CLOSED:
            case.closed_at = moment
        if state == S.REOPENED:
            case.closed_at = None
            _event(case, state, centre_user, RoleLabel.SERVICE_CENTRE, moment, extra["reopen_note"])
            continue
        if state == S.RATED:
            level, comment = rating
            rated = Rating.objects.create(
                case=case, level=level, comment=comment, created_at=moment, user=submitter
            )
            _event(case, state, None, RoleLabel.RESIDENT, moment)
            if extra.get("follow_up"):
                FollowUp.objects.create(
                    case=case,
                    centre=centre,
                    due_at=moment + dt.timedelta(days=21),
                    created_at=moment,
                    visit_note="上门回访，住户表示杂物是临时存放。",
                    rectification="与物业约定每周巡查楼道，张贴消防通道提示。",
                    reply="已安排每周巡查楼道，如再发现堆放请随时告诉我们。",
                    completed_by=centre_user,
                    completed_at=moment + dt.timedelta(days=3),
                )
                _event(
                    case,
                    "",
                    centre_user,
                    RoleLabel.SERVICE_CENTRE,
                    moment + dt.timedelta(days=3),
                    "已安排每周巡查楼道，如再发现堆放请随时告诉我们。",
                    action="回访答复",
                )
                RatingAppeal.objects.create(
                    rating=rated,
                    reason="住户已清理，后续堆放属于新情况。",
                    filed_by=actor,
                    filed_at=moment + dt.timedelta(days=1),
                    decision=AppealDecision.UPHELD,
                    reviewer=centre_user,
                    decision_note="居民意见合理，维持评价。",
                    decided_at=moment + dt.timedelta(days=2),
                )
            continue
        _event(case, state, actor, role, moment)
    if path:
        case.state = path[-1]
    if extra.get("escalated") or (
        case.deadline
        and case.deadline < timezone.now()
        and case.state in (S.RECEIVED, S.DISPATCHED, S.IN_PROGRESS)
    ):
        case.escalated_at = case.deadline
        _event(
            case,
            "",
            None,
            RoleLabel.SYSTEM,
            case.deadline or moment,
            "已超过办理时限，已通知社区服务中心负责人督办。",
            action="超期督办",
        )
    if case.state in (S.DISPATCHED, S.IN_PROGRESS):
        FieldLogEntry.objects.create(
            case=case, author=actor, note="已电话联系居民，约定上门查看。", at=moment
        )
    case.save()


def _survey(ctx, grids, resident):
    quarter = quarter_of()
    levels = [5, 4, 5, 3, 4, 2, 5, 4]
    for g_index, grid in enumerate(grids[:3]):
        for i, level in enumerate(levels[g_index : g_index + 5]):
            key = f"demo-{grid.pk}-{i}"
            if GridSurveyRating.objects.filter(grid=grid, device_key=key).exists():
                continue
            GridSurveyRating.objects.create(
                grid=grid,
                quarter=quarter,
                level=level,
                verified=False,
                device_key=key,
                aspects="attitude,speed" if i % 2 else "results",
            )
            ctx.created += 1
    if grids and resident and not GridSurveyRating.objects.filter(user=resident).exists():
        GridSurveyRating.objects.create(
            grid=grids[0],
            quarter=quarter,
            level=5,
            verified=True,
            user=resident,
            aspects="attitude",
            comment="网格员很负责。",
        )
        ctx.created += 1
