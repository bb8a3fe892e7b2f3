"""Demo content of the notices app: notices of every category, an urgent epidemic-prevention
notice, a letter to residents, an attachment, and two publicity batches (one running, one
ended). Idempotent: everything is found by its slug or title before it is made."""

import datetime as dt
import io

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from portal.demo_support import ensure_child_page

from .enums import ApprovalStageKind, Decision, Urgency
from .factories import ApprovalOutcomePageFactory, NoticeIndexPageFactory, NoticePageFactory
from .models import (
    ApprovalIndexPage,
    ApprovalMatter,
    ApprovalOutcome,
    ApprovalStage,
    NoticeCategory,
)

CENTRE = "明华社区服务中心"
CENTRE_PHONE = "010-6543 2100"
ATTACHMENT_TITLE = "2026年冬季供暖报修登记表（空表）"


def _p(*paragraphs):
    return [("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))]


# (slug, category slug, urgency, days ago, valid for days or None, title, summary, body)
NOTICES = [
    (
        "epidemic-flu-season",
        "epidemic-prevention",
        Urgency.URGENT,
        0,
        7,
        "流感高发期健康提示：本周社区卫生服务站延长接种时间",
        "本周流感病例增多，社区卫生服务站工作日延长到晚上七点，请老人和儿童尽早接种。",
        _p(
            "近期辖区流感就诊人数明显增加。为方便上班族和学生，社区卫生服务站本周工作日"
            "接种时间延长至19:00，周六上午照常开放。",
            "出现发热、咳嗽的居民请佩戴口罩就医，尽量减少去人员密集场所。"
            "独居老人如需上门协助，请联系所在网格的网格员。",
        ),
    ),
    (
        "heating-repair",
        "notice",
        Urgency.IMPORTANT,
        1,
        30,
        "关于冬季供暖报修的通知",
        "供暖期内家中暖气不热，可以到服务中心登记或电话报修，物业48小时内上门。",
        _p(
            "本年度供暖已于11月15日开始。家中暖气不热、漏水的，请填写附件中的报修登记表，"
            "交到社区服务中心或所在楼栋的楼栋长。",
            "物业公司承诺接到报修后48小时内上门查看。",
        ),
    ),
    (
        "water-outage-east",
        "notice",
        Urgency.NORMAL,
        2,
        3,
        "东片区二次供水设施清洗期间临时停水的通知",
        "东片区部分楼栋周四上午八点至十二点停水，请提前储水。",
        _p("因二次供水水箱年度清洗，东片区部分楼栋周四8:00至12:00暂停供水，请提前储水。"),
    ),
    (
        "garbage-sorting-policy",
        "policy",
        Urgency.NORMAL,
        5,
        None,
        "垃圾分类新规解读：厨余垃圾要“破袋投放”",
        "一图读懂垃圾分类的四个类别和投放时间。",
        _p(
            "生活垃圾分为厨余垃圾、可回收物、有害垃圾和其他垃圾四类。",
            "厨余垃圾需要去掉塑料袋后投放，塑料袋放入其他垃圾桶。"
            "定时投放时间为每天7:00-9:00和18:00-20:00。",
        ),
    ),
    (
        "elderly-meal-policy",
        "policy",
        Urgency.NORMAL,
        9,
        None,
        "老年助餐服务补贴政策问答",
        "六十周岁以上老人在社区老年餐桌就餐可享受补贴。",
        _p("本市户籍、年满60周岁的老人在社区老年餐桌就餐，每餐可享受3元补贴，80岁以上5元。"),
    ),
    (
        "residence-certificate-guide",
        "guide",
        Urgency.NORMAL,
        12,
        None,
        "办事指南：开具居住证明需要准备哪些材料",
        "带上身份证和租房合同或房产证，到社区服务中心一个窗口办理。",
        _p(
            "所需材料：本人身份证原件；租房合同或不动产权证书；如委托他人办理，需要委托书。",
            "办理地点：社区服务中心综合窗口；办理时限：材料齐全当场办结。",
        ),
    ),
    (
        "disability-card-guide",
        "guide",
        Urgency.NORMAL,
        20,
        None,
        "办事指南：残疾人证新办与换领",
        "在社区服务中心提交申请，评残结果出来后领证。",
        _p("申请人到社区服务中心提交申请表和近期免冠照片，由街道转交区残联安排评定。"),
    ),
    (
        "letter-winter-safety",
        "letter",
        Urgency.NORMAL,
        3,
        None,
        "致全体居民的一封信：冬季用火用电安全",
        "天干物燥，请大家检查家中电线、燃气灶和电动自行车充电习惯。",
        _p(
            "亲爱的居民朋友们：",
            "冬季是火灾多发季节。请不要把电动自行车推进楼道或家中充电，"
            "不要在楼道堆放纸箱杂物；使用燃气后请关好阀门。",
            "网格员近期会逐户上门宣传，请大家支持配合。让我们一起守护平安家园。",
            "明华社区居民委员会",
        ),
    ),
    (
        "volunteer-recruitment",
        "notice",
        Urgency.NORMAL,
        6,
        21,
        "招募冬季“敲门行动”志愿者",
        "每周陪伴独居老人聊聊天、看看暖气和用电，欢迎报名。",
        _p("社区招募志愿者，每周一次上门探望独居和高龄老人，报名请到服务中心登记。"),
    ),
    (
        "parking-rectification-west",
        "notice",
        Urgency.NORMAL,
        8,
        14,
        "西片区消防通道停车整治的通知",
        "西片区将清理占用消防通道的车辆，请车主按划线停放。",
        _p("下周起，物业和网格员将对西片区消防通道进行巡查，占道车辆将被劝离。"),
    ),
    (
        "vaccination-guide",
        "epidemic-prevention",
        Urgency.NORMAL,
        15,
        None,
        "疫苗接种预约方式说明",
        "接种可以电话预约，也可以到社区卫生服务站现场登记。",
        _p("社区卫生服务站提供流感疫苗和肺炎疫苗接种，请携带身份证和医保卡。"),
    ),
    (
        "community-council",
        "notice",
        Urgency.NORMAL,
        4,
        10,
        "关于召开居民议事会的通知",
        "议题：小区加装电梯和活动室开放时间，欢迎居民代表参加。",
        _p("本月最后一个周五下午两点，在社区活动室召开居民议事会。"),
    ),
    (
        "anti-fraud-letter",
        "letter",
        Urgency.IMPORTANT,
        10,
        None,
        "致老年朋友的一封信：谨防保健品和养老诈骗",
        "不轻信高额回报，不向陌生账户转账，拿不准就问网格员。",
        _p(
            "老年朋友们：近来有人以“免费体检”“养老投资”为名骗取钱财。",
            "请记住：不贪小便宜、不向陌生人转账；拿不准的事先问问子女或网格员。",
        ),
    ),
]
GUIDES = [
    (
        "guide-minimum-living",
        "guide",
        Urgency.NORMAL,
        30,
        None,
        "办事指南：申请最低生活保障",
        "家庭收入低于本市低保标准的，可以向社区服务中心提出申请。",
        _p("申请人提交申请书、家庭成员身份证明和收入证明，经入户调查和公示后审批。"),
    ),
    (
        "guide-temporary-assistance",
        "guide",
        Urgency.NORMAL,
        45,
        None,
        "办事指南：申请临时救助",
        "遭遇突发困难、生活一时无法维持的家庭，可以申请临时救助。",
        _p("急难情形可以先行救助，事后补办手续。"),
    ),
]


def _attachment(ctx):
    document = Document.objects.filter(title=ATTACHMENT_TITLE).first()
    if document is not None:
        return document
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报修登记"
    sheet.append(["楼栋", "单元", "报修内容", "登记日期"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    document = Document(title=ATTACHMENT_TITLE)
    document.file.save("heating-repair-form.xlsx", ContentFile(buffer.getvalue()), save=False)
    document._set_document_file_metadata()
    document.save()
    ctx.created += 1
    return document


def _grids():
    """{"east": grid, "west": grid}: the first grid of each zone, when the grids demo made them."""
    from grids.models import AreaPage, GridPage

    found = {}
    for zone in AreaPage.objects.filter(slug__in=["east", "west"]):
        grid = GridPage.objects.child_of(zone).live().order_by("path").first()
        if grid is not None:
            found[zone.slug] = grid
    return found


def _load_notices(ctx, index, rows, today, attachment, grids):
    categories = {category.slug: category for category in NoticeCategory.objects.all()}
    for slug, category, urgency, days_ago, valid_days, title, summary, body in rows:
        published = today - dt.timedelta(days=days_ago)
        fields = {
            "title": title,
            "category": categories[category],
            "urgency": urgency,
            "publication_date": published,
            "valid_until": published + dt.timedelta(days=valid_days) if valid_days else None,
            "summary": summary,
            "body": body,
        }
        if slug == "heating-repair":
            fields["attachments"] = [("document", {"document": attachment, "title": ""})]
            fields["body"] = body + [
                ("contact", {"name": CENTRE, "phone": CENTRE_PHONE, "hours": "工作日 8:30-17:30"})
            ]
        if slug == "water-outage-east" and "east" in grids:
            fields["target_grids"] = [grids["east"]]
        if slug == "parking-rectification-west" and "west" in grids:
            fields["target_grids"] = [grids["west"]]
        ensure_child_page(ctx, index, NoticePageFactory, slug, **fields)


def _outcome_rows(rows):
    return [
        ApprovalOutcome(
            applicant=name,
            grid_name=grid,
            household_size=size,
            benefit=benefit,
            decision=decision,
            note=note,
            sort_order=order,
        )
        for order, (name, grid, size, benefit, decision, note) in enumerate(rows)
    ]


def _stages(start):
    steps = [
        (ApprovalStageKind.COLLECTED, 30, "明华社区第一、第二网格"),
        (ApprovalStageKind.ACCEPTED, 25, CENTRE),
        (ApprovalStageKind.REVIEWED, 12, "明华街道办事处"),
        (ApprovalStageKind.APPROVED, 4, "区民政局"),
    ]
    return [
        ApprovalStage(stage=kind, date=start - dt.timedelta(days=days), office=office, sort_order=i)
        for i, (kind, days, office) in enumerate(steps)
    ]


def _publicity(ctx, index, slug, title, matter, start, rows):
    if index.get_children().filter(slug=slug).exists():
        return
    page = ApprovalOutcomePageFactory.build(
        slug=slug,
        title=title,
        matter=ApprovalMatter.objects.get(slug=matter),
        publicity_start=start,
        publicity_days=7,
        introduction="经入户调查、民主评议和逐级审核，拟将以下家庭纳入保障范围，现予公示。",
        objection_contact=f"{CENTRE} {CENTRE_PHONE}（工作日 8:30-17:30）",
    )
    page.outcomes = _outcome_rows(rows)
    page.stages = _stages(start)
    index.add_child(instance=page)
    page.save_revision().publish()
    ctx.created += 1


def load(ctx):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page.specific
    today = timezone.localdate()
    attachment = _attachment(ctx)
    grids = _grids()
    notices = ensure_child_page(
        ctx,
        home,
        NoticeIndexPageFactory,
        "notices",
        title="通知公告",
        introduction="社区的通知、政策解读、疫情防控提示和致居民的信。",
        show_in_menus=True,
    )
    guides = ensure_child_page(
        ctx,
        home,
        NoticeIndexPageFactory,
        "guides",
        title="办事指南",
        introduction="在社区能办的事项，需要带什么材料、到哪里办。",
        stale_after_days=180,
        show_in_menus=True,
    )
    _load_notices(ctx, notices, NOTICES, today, attachment, grids)
    _load_notices(ctx, guides, GUIDES, today, attachment, grids)

    index = ApprovalIndexPage.objects.live().order_by("path").first()
    if index is None:
        return
    _publicity(
        ctx,
        index,
        "minimum-living-batch-running",
        f"{today.year}年第4批最低生活保障新增对象公示",
        "minimum-living",
        today - dt.timedelta(days=2),
        [
            ("张建华", "第一网格", 3, "每月 2,280 元", Decision.APPROVED, ""),
            ("李秀英", "第一网格", 1, "每月 1,380 元", Decision.APPROVED, "独居老人"),
            ("王志强", "第二网格", 4, "每月 2,960 元", Decision.APPROVED, ""),
            ("陈晓", "第三网格", 2, "—", Decision.REJECTED, "家庭收入超过标准"),
        ],
    )
    _publicity(
        ctx,
        index,
        "temporary-assistance-batch-ended",
        f"{today.year}年第3批临时救助对象公示",
        "temporary-assistance",
        today - dt.timedelta(days=45),
        [
            ("赵丽娟", "第二网格", 2, "一次性 3,000 元", Decision.APPROVED, "因病"),
            ("孙浩然", "第四网格", 3, "一次性 5,000 元", Decision.APPROVED, "火灾受损"),
        ],
    )
