"""Demo content of the grid worker's day: a month of patrols with their findings, household
visits and handover slips in the demo community, and the lines slips go to.

Seeded (one random.Random of its own), so every load makes the same month, counted back from
the day of the load. Each grid worker without an account gets one (demo-worker-NN, without a
usable password: they are the authors of the records, nobody signs in as them). Idempotent:
the lines are found by name, and the month is made only when the demo grids have no patrol.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from feedback.models import Feedback, FeedbackCategory, FeedbackEvent, FollowUp
from grids.models import GridPage
from portal import roles
from portal.calendar import is_working_day
from portal.demo_support import DEMO_SEED

from .handover import acknowledge, complete, escalate_overdue_slips, send_slip
from .models import FindingOutcome, HandoverSlip, Line, Patrol, PatrolFinding, Visit, VisitPurpose
from .patrols import finding_to_case

DAYS = 30

# name, contact, e-mail, phone, working days
LINES = [
    ("综治", "冯主任", "zongzhi@example.org", "010-6543 2110", 3),
    ("计生", "钱老师", "jisheng@example.org", "010-6543 2111", 5),
    ("社保", "周科员", "shebao@example.org", "010-6543 2112", 5),
    ("就业", "孙老师", "jiuye@example.org", "010-6543 2113", 5),
    ("民政", "吴科员", "minzheng@example.org", "010-6543 2114", 5),
    ("城管", "郑队长", "chengguan@example.org", "010-6543 2115", 3),
]

NOTES = [
    "正常。",
    "楼道整洁，消防通道畅通。",
    "路灯、井盖、健身器材完好。",
    "垃圾分类桶站整洁，桶边无散落垃圾。",
    "沿街商铺无占道，门前三包落实。",
    "和楼栋长聊了聊，近期没有新情况。",
    "雨后查看低洼处，无积水。",
]
LANDMARKS = ["小区东门", "桶站", "自行车棚", "小广场", "菜市场", "公厕", "社区卫生站", "幼儿园门口"]

# description, place, outcome, what follows: (category name for a case | line for a slip |
# a note for solved and noted findings)
FINDINGS = [
    (
        "楼道堆放纸箱和旧家具，堵住了消防通道",
        "单元楼道",
        FindingOutcome.SOLVED,
        "已联系住户当场清走。",
    ),
    ("电动自行车推进楼道充电", "单元楼道", FindingOutcome.SOLVED, "劝导住户推到充电棚充电。"),
    ("单元门上贴满小广告", "单元门口", FindingOutcome.SOLVED, "当场清理。"),
    ("共享单车乱停，挡住小区出入口", "小区东门", FindingOutcome.NOTED, "已告知运营公司调度。"),
    ("空置房屋窗户破损，夜里有人进出", "楼后", FindingOutcome.NOTED, "已告知社区民警。"),
    ("树枝伸到架空线旁边", "楼前绿地", FindingOutcome.NOTED, "已报供电所，等待修剪。"),
    ("垃圾桶站满溢，周边有散落垃圾", "桶站", FindingOutcome.CASE, "环境卫生"),
    ("路灯不亮，晚上出入不便", "路口", FindingOutcome.CASE, "设施报修"),
    ("人行道井盖松动，踩上去有响声", "人行道", FindingOutcome.CASE, "设施报修"),
    ("沿街商铺把货架摆到人行道上", "沿街商铺", FindingOutcome.SLIP, "城管"),
    ("独居老人反映高龄津贴这个月没有到账", "住户家中", FindingOutcome.SLIP, "民政"),
    ("新搬来的住户咨询灵活就业人员怎么缴社保", "住户家中", FindingOutcome.SLIP, "社保"),
    ("楼上楼下因为漏水吵了起来，需要调解", "楼道", FindingOutcome.SLIP, "综治"),
    ("住户家里添了孩子，不清楚生育登记怎么办", "住户家中", FindingOutcome.SLIP, "计生"),
    ("失业在家的年轻人想参加技能培训", "住户家中", FindingOutcome.SLIP, "就业"),
]
SLIP_RESULTS = {
    "城管": "已上门劝导，商户把货架收回店内，后续纳入日常巡查。",
    "民政": "经核实为银行卡信息变更导致，已协助更新，津贴已补发。",
    "社保": "已电话讲解缴费方式，住户已在线办理灵活就业参保登记。",
    "综治": "调解员上门调解，楼上住户已修好管道并赔偿，双方和解。",
    "计生": "已告知网上办理流程，住户已完成生育登记。",
    "就业": "已推荐参加街道组织的电工培训班，下月开班。",
}

# purpose, outcome, days until the next visit (None: no follow-up)
VISITS = [
    (VisitPurpose.CARE, "老人身体还好，独自在家，叮嘱注意用气安全，留了网格员电话。", 14),
    (VisitPurpose.CARE, "老人腿脚不便，希望有人帮忙代买药品，已联系志愿者每周上门。", 7),
    (VisitPurpose.ROUTINE, "住户对小区环境整体满意，提出希望增加晾衣架。", None),
    (VisitPurpose.ROUTINE, "新搬来的住户，介绍了社区服务中心位置和办事电话。", None),
    (VisitPurpose.CASE_RESULT, "住户确认路灯已修好，晚上出行方便了，表示满意。", None),
    (VisitPurpose.CASE_RESULT, "住户反映垃圾清运及时了，但希望桶站再往外挪一点。", 10),
    (VisitPurpose.OTHER, "了解楼内群租情况，未发现异常。", None),
]
ADDRESS_UNITS = ["1单元101", "2单元302", "3单元501", "1单元602", "2单元201", "4单元402"]


def _worker_accounts(ctx, grids):
    """An account for each demo grid worker without one (not for signing in)."""
    group = Group.objects.filter(name=roles.GRID_WORKERS).first()
    users = get_user_model().objects
    for grid in grids:
        for worker in (grid.primary_worker, grid.backup_worker):
            if worker is None or worker.user_id is not None:
                continue
            number = worker.email.split("@")[0].removeprefix("worker") or str(worker.pk)
            user = users.filter(username=f"demo-worker-{number}").first()
            if user is None:
                user = users.create(
                    username=f"demo-worker-{number}", email=worker.email, first_name=worker.name
                )
                user.set_unusable_password()
                user.save(update_fields=["password"])
                if group is not None:
                    user.groups.add(group)
                ctx.created += 1
            worker.user = user
            worker.save(update_fields=["user"])


def _lines(ctx):
    lines = {}
    for name, contact, email, phone, days in LINES:
        line = Line.objects.filter(name=name).first()
        if line is None:
            line = Line.objects.create(
                name=name,
                contact_name=contact,
                email=email,
                phone=phone,
                deadline_days=days,
                sort_order=len(lines),
            )
            ctx.created += 1
        lines[name] = line
    return lines


def _places(grid):
    places = [a.place for a in grid.addresses.all()] or [grid.title]
    return places


def _at(day, hour, minute=0):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _address(rng, grid):
    place = rng.choice(_places(grid))
    return f"{place}{rng.randint(1, 12)}号楼{rng.choice(ADDRESS_UNITS)}"


def _patrol_month(ctx, rng, grids, lines, today, now):
    categories = {c.name: c for c in FeedbackCategory.objects.filter(active=True)}
    days = [today - dt.timedelta(days=n) for n in range(DAYS, -1, -1)]
    slips, case_budget = [], 3
    for day in days:
        if not is_working_day(day):
            continue
        for grid in grids:
            worker = grid.on_duty_worker(day)
            user = worker.user if worker is not None else None
            # Now and then a day is not logged (a meeting, an emergency elsewhere); today, the
            # afternoon grids have not logged yet: the centre's report shows both.
            if rng.random() < 0.05 or (day == today and grid.code[-1] in "2468"):
                continue
            places = _places(grid)
            route = "—".join(rng.sample(places, min(2, len(places))) + [rng.choice(LANDMARKS)])
            at = _at(day, rng.choice([11, 12, 16, 17]), rng.randint(0, 59))
            if at > now:
                continue  # not yet patrolled today
            patrol = Patrol.objects.create(
                grid=grid,
                worker=user,
                date=day,
                route=route,
                note=rng.choice(NOTES),
                minutes=rng.choice([45, 60, 60, 75, 90, 120]),
                created_at=at,
            )
            ctx.created += 1
            if rng.random() > 0.3:
                continue
            # Most findings are settled in the grid; fewer go to other lines.
            weights = [0.4 if f[2] == FindingOutcome.SLIP else 1 for f in FINDINGS]
            description, place_kind, outcome, follow = rng.choices(FINDINGS, weights)[0]
            place = f"{rng.choice(places)}{rng.randint(1, 12)}号楼{place_kind}"
            finding = PatrolFinding.objects.create(
                patrol=patrol,
                place=place,
                description=description
                if outcome in (FindingOutcome.CASE, FindingOutcome.SLIP)
                else f"{description}。{follow}",
                outcome=outcome
                if outcome in (FindingOutcome.SOLVED, FindingOutcome.NOTED)
                else FindingOutcome.NOTED,
                created_at=patrol.created_at,
            )
            ctx.created += 1
            if user is None:
                continue
            if outcome == FindingOutcome.CASE and (today - day).days <= 6 and case_budget:
                category = categories.get(follow) or next(iter(categories.values()), None)
                if category is None:
                    continue
                case = finding_to_case(
                    finding,
                    user,
                    category=category,
                    subject=f"{place}{description}"[:80],
                    message=f"网格员巡查发现：{place}{description}。",
                )
                Feedback.objects.filter(pk=case.pk).update(
                    created_at=patrol.created_at, deadline=category.deadline_from(patrol.created_at)
                )
                FeedbackEvent.objects.filter(case=case).update(at=patrol.created_at)
                case_budget -= 1
                ctx.created += 1
            elif outcome == FindingOutcome.SLIP and follow in lines:
                slip = send_slip(
                    user,
                    line=lines[follow],
                    grid=grid,
                    subject=description[:80],
                    details=f"{day:%m月%d日}巡查时在{place}了解到：{description}。请{follow}跟进。",
                    place=place,
                    finding=finding,
                    now=patrol.created_at,
                )
                PatrolFinding.objects.filter(pk=finding.pk).update(outcome=FindingOutcome.SLIP)
                slips.append(slip)
                ctx.created += 1
    return slips


def _move_slips_on(rng, slips, now):
    """Slips past their deadline were signed for and finished, all but one, which is left
    overdue for the escalation; slips within their deadline are signed for after a day."""
    overdue = rng.choice([s for s in slips if s.deadline < now] or [None])
    for slip in slips:
        contact = slip.line.contact_name or slip.line.name
        if slip.deadline < now and slip != overdue:
            acknowledge(slip, contact, now=slip.created_at + dt.timedelta(hours=3))
            complete(
                slip,
                SLIP_RESULTS.get(slip.line.name, "已办结。"),
                name=contact,
                now=slip.deadline - dt.timedelta(hours=rng.randint(2, 30)),
            )
        elif slip.deadline >= now and now - slip.created_at > dt.timedelta(days=1):
            acknowledge(slip, contact, now=slip.created_at + dt.timedelta(hours=5))


def _visits(ctx, rng, grids, today):
    made = 0
    for grid in grids:
        worker = grid.primary_worker
        partner = grid.backup_worker
        if worker is None or worker.user is None:
            continue
        for n in range(5):
            purpose, outcome, again = VISITS[(grid.pk + n) % len(VISITS)]
            day = today - dt.timedelta(days=rng.randint(1, DAYS))
            while not is_working_day(day):
                day -= dt.timedelta(days=1)
            follow_up_on = day + dt.timedelta(days=again) if again else None
            Visit.objects.create(
                grid=grid,
                address=_address(rng, grid),
                date=day,
                visitor=worker.user,
                # A and B go together on care visits, as the plan asks.
                companion=partner.user
                if partner is not None and purpose == VisitPurpose.CARE
                else None,
                purpose=purpose,
                outcome=outcome,
                follow_up_on=follow_up_on,
                created_at=_at(day, 17, rng.randint(0, 59)),
            )
            made += 1
    # The follow-up after a poor rating is a visit too.
    for follow_up in FollowUp.objects.filter(case__grid__in=grids).select_related("case__grid"):
        grid = follow_up.case.grid
        worker = grid.on_duty_worker()
        user = worker.user if worker is not None else None
        if user is None or follow_up.visits.exists():
            continue
        Visit.objects.create(
            grid=grid,
            address=follow_up.case.place or _address(rng, grid),
            date=today - dt.timedelta(days=1),
            visitor=user,
            purpose=VisitPurpose.POOR_RATING,
            outcome="上门听取意见：居民对处理速度不满意，已说明原因并约定整改后再回访。",
            follow_up_on=today + dt.timedelta(days=7),
            case=follow_up.case,
            follow_up=follow_up,
        )
        made += 1
    ctx.created += made


def load(ctx):
    grids = list(
        GridPage.objects.live()
        .select_related("primary_worker", "backup_worker")
        .prefetch_related("addresses")
        .order_by("code")
    )
    if not grids:
        return
    _worker_accounts(ctx, grids)
    lines = _lines(ctx)
    if Patrol.objects.filter(Q(grid__in=grids)).exists():
        return
    rng = random.Random(f"fieldwork-{DEMO_SEED}")  # noqa: S311  (demo content, not security)
    today = timezone.localdate()
    now = timezone.now()
    slips = _patrol_month(ctx, rng, grids, lines, today, now)
    _move_slips_on(rng, slips, now)
    escalate_overdue_slips(now=now)
    _visits(ctx, rng, grids, today)
    ctx.note(
        f"Fieldwork: {Patrol.objects.count()} patrols, {HandoverSlip.objects.count()} handover "
        f"slips, {Visit.objects.count()} visits over the last {DAYS} days."
    )
