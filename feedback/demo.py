"""Demo content of the feedback app: the form page, service centres, a routing rule, ~20 cases.

Cases go through the same intake as the form (so each has its first event and queued e-mails);
the case-handling app moves some of them on to later states. Idempotent: a case is found by its
subject before one is made, centres by their community, the page by its slug.
"""

import datetime as dt

from django.utils import timezone
from wagtail.models import Site

from grids.enums import COMMUNITY_LEVELS
from grids.models import AreaPage, GridPage
from portal.demo_support import update_fields

from . import demo_cases
from .enums import RecipientKind
from .factories import FeedbackFormPageFactory
from .intake.receive import receive
from .models import Feedback, FeedbackCategory, FeedbackFormPage, RoutingRule, ServiceCentre

INTRODUCTION = (
    "<p>身边有需要解决的问题，或者对社区工作有意见建议，都可以在这里告诉我们。"
    "留言会直接转给您所在网格的网格员和社区服务中心，一般事项5个工作日内答复。</p>"
)

# category, subject, message, place, contact name, phone, e-mail, days ago
CASES = [
    (
        "环境卫生",
        "3号楼东侧垃圾桶满溢",
        "垃圾桶已经满了两天没有清运，天热气味很大，请尽快处理。",
        "3号楼东侧",
        "王女士",
        "13800000101",
        "wang@example.com",
        1,
    ),
    (
        "环境卫生",
        "小区南门积水",
        "下雨后南门口积水很深，老人和孩子出入不方便。",
        "小区南门",
        "",
        "13800000102",
        "",
        3,
    ),
    (
        "环境卫生",
        "楼道堆放杂物",
        "五单元二楼楼道堆了旧家具，挡住了通道，存在消防隐患。",
        "5单元2楼",
        "刘先生",
        "",
        "liu@example.com",
        6,
    ),
    (
        "设施报修",
        "路灯不亮",
        "十九巷口的路灯连续几个晚上不亮，夜里走路看不清。",
        "明华街十九巷口",
        "",
        "",
        "",
        2,
    ),
    (
        "设施报修",
        "健身器材松动",
        "广场上的漫步机底座螺丝松了，晃得厉害，怕有人受伤。",
        "中心广场",
        "陈大爷",
        "13800000105",
        "",
        8,
    ),
    (
        "设施报修",
        "井盖破损",
        "人行道上一个井盖裂开了，晚上很危险。",
        "希望家园北门人行道",
        "",
        "13800000106",
        "",
        4,
    ),
    (
        "邻里纠纷",
        "楼上夜间噪音",
        "楼上住户经常深夜搬动家具，沟通过几次没有改善，希望网格员协调。",
        "7号楼",
        "赵女士",
        "13800000107",
        "zhao@example.com",
        10,
    ),
    (
        "邻里纠纷",
        "车位被长期占用",
        "我家的固定车位经常被同一辆车占用，物业说找网格员协调。",
        "地下车库B区",
        "孙先生",
        "13800000108",
        "",
        12,
    ),
    (
        "安全隐患",
        "电动车楼道充电",
        "有人把电动车推进楼道充电，线从窗户拉出来，很不安全。",
        "9号楼1单元",
        "",
        "13800000109",
        "",
        0,
    ),
    (
        "安全隐患",
        "燃气味道",
        "单元门口闻到燃气味，已经打过燃气公司电话，请社区也关注一下。",
        "2号楼3单元",
        "周女士",
        "13800000110",
        "",
        5,
    ),
    (
        "意见建议",
        "增加老年人助餐点",
        "社区老人多，希望在活动中心附近开一个助餐点。",
        "",
        "吴阿姨",
        "",
        "wu@example.com",
        15,
    ),
    (
        "意见建议",
        "公示栏加一个查询二维码",
        "希望在网格公示牌上加二维码，手机一扫就能联系网格员。",
        "",
        "",
        "",
        "",
        20,
    ),
    (
        "意见建议",
        "周末开放社区图书室",
        "上班族平时去不了，希望周末也能开放图书室。",
        "社区活动中心",
        "郑同学",
        "",
        "zheng@example.com",
        9,
    ),
    (
        "表扬",
        "感谢网格员上门帮助",
        "网格员帮我家独居老人办好了高龄津贴，跑了好几趟，特别感谢。",
        "",
        "冯先生",
        "13800000114",
        "",
        7,
    ),
    (
        "表扬",
        "疏通下水道及时",
        "周日晚上报的下水道堵塞，第二天一早就有人来修好了。",
        "11号楼",
        "",
        "",
        "",
        11,
    ),
    (
        "投诉",
        "装修时间不守规定",
        "邻居装修中午和晚上也施工，物业劝说无效。",
        "6号楼",
        "蒋女士",
        "13800000116",
        "jiang@example.com",
        2,
    ),
    (
        "投诉",
        "快递柜占用消防通道",
        "新装的快递柜放在消防通道上，消防车进不来。",
        "小区西门",
        "",
        "13800000117",
        "",
        13,
    ),
    (
        "环境卫生",
        "绿化带里的建筑垃圾",
        "有人把装修垃圾倒在绿化带里，已经堆了一周。",
        "8号楼南侧绿化带",
        "",
        "",
        "",
        16,
    ),
    (
        "设施报修",
        "单元门门禁坏了",
        "单元门门禁刷卡没有反应，门一直关不上。",
        "4号楼2单元",
        "韩先生",
        "13800000119",
        "",
        1,
    ),
    (
        "公示异议",
        "对低保公示名单的意见",
        "公示名单中有一户家里有营业的店铺，是否符合条件请核实。",
        "",
        "",
        "13800000120",
        "",
        3,
    ),
]


def _ensure_page(ctx, home):
    page = FeedbackFormPage.objects.child_of(home).filter(slug="feedback").first()
    if page is None:
        page = FeedbackFormPageFactory.build(
            slug="feedback", title="我要反映", introduction=INTRODUCTION, show_in_menus=True
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        ctx.created += 1
    return page


def _ensure_centres(ctx):
    communities = list(AreaPage.objects.filter(level__in=COMMUNITY_LEVELS).order_by("path"))
    centres = []
    for index, community in enumerate(communities):
        centre = ServiceCentre.objects.filter(community=community).first()
        if centre is None:
            centre = ServiceCentre.objects.create(
                community=community,
                name=f"{community.title}服务中心",
                inbox_email=f"centre-{community.code}@example.org",
                head_email=f"centre-head-{community.code}@example.org",
                head_phone="010-6543 2101",
                is_default=index == 0,
            )
            ctx.created += 1
        centres.append(centre)
    if not centres and not ServiceCentre.objects.exists():
        ServiceCentre.objects.create(
            name="社区服务中心（演示）",
            inbox_email="centre@example.org",
            head_email="centre-head@example.org",
            is_default=True,
        )
        ctx.created += 1


def _ensure_rules(ctx):
    if not RoutingRule.objects.filter(name="突发事件抄送值班领导").exists():
        RoutingRule.objects.create(
            name="突发事件抄送值班领导",
            recipient=RecipientKind.LISTED_ADDRESSES,
            emergency_only=True,
            emails="duty-leader-1@example.org, duty-leader-2@example.org",
            sort_order=25,
        )
        ctx.created += 1


def load(ctx):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    page = _ensure_page(ctx, home)
    update_fields(page, show_in_menus=True)
    _ensure_centres(ctx)
    _ensure_rules(ctx)

    grids = list(GridPage.objects.live().order_by("code"))
    categories = {c.name: c for c in FeedbackCategory.objects.all()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    for index, (category, subject, message, place, name, phone, email, days) in enumerate(CASES):
        if Feedback.objects.filter(subject=subject, contact_phone=phone).exists():
            continue
        if category not in categories:
            continue
        # Every fifth case does not know its grid: the service centre takes it.
        grid = grids[index % len(grids)] if grids and index % 5 != 4 else None
        receive(
            category=categories[category],
            subject=subject,
            message=message,
            grid=grid,
            place=place,
            contact_name=name,
            contact_phone=phone,
            contact_email=email,
            received_at=now - dt.timedelta(days=days, hours=ctx.rng.randint(0, 8)),
        )
        ctx.created += 1
    # Then the case-handling demo: cases in every later state, ratings, follow-ups, surveys.
    demo_cases.load(ctx)
