"""Demo content for the weekly meeting, assessment and two-way reviews in 明华社区: four weeks of
meetings with their decisions, the community's assessment weights, the published assessment
of the month most of the field records fall in, and one finished, public review campaign
(last quarter) with its actions.

Runs after the field records (`fieldwork.demo`, when there is one), so the assessment reads the
demo's patrols and visits. Idempotent: meetings are found by week, the campaign by its title,
residents' survey ratings by their device key.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from feedback.models import GridSurveyRating
from feedback.public.survey import quarter_of
from grids.models import AreaPage, GridPage
from portal.demo_support import update_fields

from . import scoring
from .models import (
    Assessment,
    AssessmentWeights,
    ImprovementAction,
    MeetingDecision,
    Review,
    ReviewAspect,
    ReviewCampaign,
    ReviewPair,
    ReviewScore,
    WeeklyMeeting,
)
from .models.meetings import week_start

ATTENDEES = "社区书记、服务中心主任、各片区网格员、社区民警"

# Weeks ago → (notes, [(subject, days to deadline, done, outcome)]). Written for the demo.
MEETINGS = {
    4: (
        "本周诉求以环境卫生为主，集中在西片区老旧小区；两件超期诉求已督办。",
        [
            ("明华里垃圾桶清运不及时，联系环卫所增加下午一次清运", 5, True, "已增加清运频次"),
            ("希望家园地下室漏水，约物业和施工方现场查看", 7, True, "已修补渗漏点"),
        ],
    ),
    3: (
        "差评一件（停车纠纷），回访后居民表示理解；巡查发现东片区两处飞线充电。",
        [
            ("和平里飞线充电隐患，联系供电所和物业加装充电桩", 10, True, "已加装8个充电口"),
            ("对停车纠纷差评开展回访，向居民说明处理经过", 3, True, "回访完成，居民接受"),
        ],
    ),
    2: (
        "独居老人冬季走访进度过半；转交民政的两张工作单尚未签收，请服务中心催办。",
        [
            ("催办民政条线未签收的工作单", 2, True, "民政已签收并安排上门"),
            ("完成中片区独居老人冬季走访，登记取暖困难户", 10, False, ""),
        ],
    ),
    1: (
        "供暖季开始，报修类诉求增多；第五网格巡查覆盖偏低，原因是网格员请假、B岗兼顾两格。",
        [
            ("统一答复供暖报修的办理流程，在公示栏张贴", 4, True, "已张贴并在网站发布"),
            ("第五网格请假期间增派志愿者协助巡查", 7, False, ""),
        ],
    ),
}

DEPARTMENTS = ["街道城管科", "街道民政科"]

# Comments for the reviews, by aspect: (for a good score, for a middling one).
COMMENTS = {
    ReviewAspect.DIVISION: ("网格大小适中，一名网格员照看得过来", "部分网格户数偏多，可考虑调整"),
    ReviewAspect.PROCESS: ("受理、派遣、办结环节清楚", "转交条线后反馈较慢，流程需要再顺一顺"),
    ReviewAspect.DUTIES: ("A岗B岗分工明确，请假有人顶岗", "社区与条线的职责边界还需细化"),
    ReviewAspect.INCENTIVES: ("考核结果每月公示，奖惩有依据", "考核结果与绩效挂钩还不够紧"),
    ReviewAspect.STYLE: ("网格员经常入户，居民都认识", "个别网格巡查记录不够及时"),
    ReviewAspect.RESULTS: ("居民反映的问题大多当月解决", "难点问题办理周期偏长"),
    ReviewAspect.SATISFACTION: ("居民普遍满意", "老旧小区居民对停车问题意见较多"),
}

ACTIONS = [
    (
        ReviewAspect.PROCESS,
        ReviewPair.GRID_COMMUNITY,
        "转交条线的工作单超过期限未签收的，由服务中心当天电话催办",
        "社区服务中心",
        20,
        True,
    ),
    (
        ReviewAspect.DIVISION,
        ReviewPair.COMMUNITY_GRID,
        "研究将户数最多的网格拆分为两个网格，报街道审定",
        "社区党委",
        60,
        False,
    ),
    (
        ReviewAspect.SATISFACTION,
        ReviewPair.RESIDENT_GRID,
        "在老旧小区开展停车问题议事协商，每月向居民通报进展",
        "西片区网格",
        45,
        False,
    ),
]


def _last_quarter(today):
    """(first day, last day, label) of the quarter before the one `today` is in."""
    first_this = dt.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    last = first_this - dt.timedelta(days=1)
    first = dt.date(last.year, (last.month - 1) // 3 * 3 + 1, 1)
    return first, last, f"{last.year}年第{(last.month - 1) // 3 + 1}季度"


def _meetings(ctx, community, owner, today):
    grids = list(GridPage.objects.live().filter(path__startswith=community.path).order_by("code"))
    for weeks, (notes, decisions) in MEETINGS.items():
        monday = week_start(today) - dt.timedelta(days=7 * weeks)
        meeting, created = WeeklyMeeting.objects.get_or_create(
            community=community,
            week_start=monday,
            defaults={
                "held_on": monday + dt.timedelta(days=1),
                "attendees": ATTENDEES,
                "notes": notes,
            },
        )
        if not created:
            continue
        ctx.created += 1
        held = monday + dt.timedelta(days=1)
        for index, (subject, days, done, outcome) in enumerate(decisions):
            deadline = held + dt.timedelta(days=days)
            MeetingDecision.objects.create(
                meeting=meeting,
                subject=subject,
                grid=grids[(weeks * 2 + index) % len(grids)] if grids else None,
                owner=owner,
                deadline=deadline,
                done_on=min(deadline, today) if done else None,
                outcome=outcome,
                sort_order=index,
            )
            ctx.created += 1


def assessed_month(today):
    """The month most of the demo's records fall in (they cover the last 30 days)."""
    middle = today - dt.timedelta(days=15)
    return f"{middle.year}-{middle.month:02d}"


def _assessment(ctx, community, today):
    weights, created = AssessmentWeights.objects.get_or_create(
        community=community, defaults={"visits_per_month": 12}
    )
    ctx.created += int(created)
    period = assessed_month(today)
    if not Assessment.objects.filter(grid__path__startswith=community.path, period=period).exists():
        ctx.created += len(scoring.compute_month(community, period))
        Assessment.objects.filter(grid__path__startswith=community.path, period=period).update(
            published=True
        )


def _survey_in(ctx, grids, first, last):
    """A few residents' survey ratings inside the campaign's period (the residents' part)."""
    levels = [5, 4, 5, 3, 4, 2, 5, 4]
    zone = timezone.get_current_timezone()
    for index, level in enumerate(levels):
        grid = grids[index % len(grids)]
        key = f"demo-review-{grid.pk}-{index}"
        if GridSurveyRating.objects.filter(device_key=key).exists():
            continue
        day = first + dt.timedelta(days=(index * 9) % ((last - first).days + 1))
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(15, index)), zone)
        GridSurveyRating.objects.create(
            grid=grid,
            quarter=quarter_of(moment),
            level=level,
            aspects="attitude" if level >= 4 else "speed",
            device_key=key,
            created_at=moment,
        )
        ctx.created += 1


def _scores(ctx, review, rng, low=3):
    for aspect in ReviewAspect:
        score = rng.randint(low, 5)
        good, middling = COMMENTS[aspect]
        ReviewScore.objects.create(
            review=review, aspect=aspect, score=score, comment=good if score >= 4 else middling
        )
        ctx.created += 1


def _campaign(ctx, community, owner, today):
    first, last, label = _last_quarter(today)
    title = f"{label}双向点评"
    grids = list(GridPage.objects.live().filter(path__startswith=community.path).order_by("code"))
    if not grids:
        return
    _survey_in(ctx, grids, first, last)
    campaign = ReviewCampaign.objects.filter(community=community, title=title).first()
    if campaign is not None:
        update_fields(campaign, is_public=True)
        return
    campaign = ReviewCampaign.objects.create(
        community=community,
        title=title,
        starts_on=first,
        ends_on=last,
        is_public=True,
        summary=(
            "本季度由街道职能部门、社区、各网格和居民相互点评。总体评价较好，"
            "意见集中在转交条线后的反馈速度和老旧小区停车问题，整改措施见下表。"
        ),
    )
    ctx.created += 1
    rng = ctx.rng
    entries = [(ReviewPair.DEPARTMENT_COMMUNITY, None, d) for d in DEPARTMENTS]
    entries += [(ReviewPair.COMMUNITY_GRID, grid, "") for grid in grids]
    entries += [(ReviewPair.GRID_COMMUNITY, grid, "") for grid in grids[::3]]
    entries += [(ReviewPair.COMMUNITY_DEPARTMENT, None, d) for d in DEPARTMENTS]
    for pair, grid, department in entries:
        review = Review.objects.create(
            campaign=campaign, pair=pair, grid=grid, department=department, entered_by=owner
        )
        ctx.created += 1
        _scores(ctx, review, rng, low=2 if pair == ReviewPair.GRID_COMMUNITY else 3)
    for index, (aspect, pair, action, who, days, done) in enumerate(ACTIONS):
        deadline = last + dt.timedelta(days=days)
        ImprovementAction.objects.create(
            campaign=campaign,
            aspect=aspect,
            pair=pair,
            action=action,
            owner=who,
            deadline=deadline,
            done_on=min(deadline, today) if done else None,
            sort_order=index,
        )
        ctx.created += 1


def load(ctx):
    community = AreaPage.objects.filter(slug="minghua").first()
    owner = get_user_model().objects.filter(username="demo-centre").first()
    if community is None or owner is None:
        return
    today = timezone.localdate()
    _meetings(ctx, community, owner, today)
    _assessment(ctx, community, today)
    _campaign(ctx, community, owner, today)
