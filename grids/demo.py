"""Demo content of the grids app: 明华街道 › 明华社区 (about 0.68 km²) › 3 zones › 9 grids.

The boundaries come from one lattice of points, so the grids tile their zones, the zones the
community and the community the subdistrict exactly (the demo models only this community of
the subdistrict). Every grid has a primary and a backup worker — each worker is the primary of
one grid and the backup of its neighbour (AB角) — with generated placeholder portraits (drawn
shapes, no real people). One primary is on leave today, so the backup shows.
"""

import datetime
import io
import random

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site

from portal.demo_support import ensure_child_page, update_fields

from .factories import AreaPageFactory, GridPageFactory
from .models import GridAddress, GridLevel, GridTeamMember, GridWorker, LeavePeriod

# South-west corner of the demo community (WGS84) and its size: about 1,000 m × 680 m.
WEST, SOUTH = 116.4450, 39.9150
WIDTH_DEG = 0.011723  # ≈ 1,000 m at 39.92°N
HEIGHT_DEG = 0.006115  # ≈ 680 m
# Interior lattice points are nudged (in metres east, north) so the borders follow streets,
# not a spreadsheet; the outer ring stays a plain rectangle.
NUDGES = {
    (1, 1): (25, -18),
    (1, 2): (-30, 12),
    (2, 1): (-20, 22),
    (2, 2): (35, -15),
}
COLUMNS = [0.0, 0.31, 0.66, 1.0]
ROWS = [0.0, 0.34, 0.69, 1.0]

SUBDISTRICT = {"slug": "minghua-subdistrict", "title": "明华街道", "code": "110105001"}
COMMUNITY = {
    "slug": "minghua",
    "title": "明华社区",
    "code": "110105001001",
    "introduction": (
        "明华社区（演示）位于明华街道中部，约0.68平方千米，分为西、中、东三个片区、九个网格。"
    ),
    "service_centre_phone": "010-6543 2100",
}
ZONES = [
    ("west", "西片区", "明华街东侧的老街巷和明华里小区。"),
    ("middle", "中片区", "希望街两侧的胡同和希望家园小区。"),
    ("east", "东片区", "锦绣苑、和平里两个小区和明华街沿街商铺。"),
]

# (primary worker, title, phone, languages) — invented names; each worker is also the backup
# of the next grid in the same zone.
WORKERS = [
    ("周晓燕", "专职网格员", "138 0101 0001", "普通话"),
    ("陈建国", "专职网格员", "138 0101 0002", "普通话、河北话"),
    ("林海鹰", "专职网格员", "138 0101 0003", "普通话、粤语"),
    ("赵春梅", "专职网格员", "138 0101 0004", "普通话"),
    ("王立新", "专职网格员、居委会委员", "138 0101 0005", "普通话"),
    ("孙雅琴", "专职网格员", "138 0101 0006", "普通话、手语"),
    ("马文涛", "专职网格员", "138 0101 0007", "普通话、回族常用语"),
    ("刘佳慧", "专职网格员", "138 0101 0008", "普通话、英语"),
    ("郑国强", "兼职网格员、退休教师", "138 0101 0009", "普通话"),
]
DUTIES = (
    "走访网格内的住户和商铺，了解困难和诉求；排查安全隐患；调解邻里纠纷；"
    "帮助老人和残疾人办理民生事项；收集并上报居民的意见建议。"
)
ON_LEAVE = 4  # 王立新 (fifth grid) is on leave today: 孙雅琴 covers.

# Per grid: (zone index, column, row, level, households, population, addresses, team)
GRIDS = [
    (0, 0, 0, "日常管理型", 186, 452, [("明华街东十八巷", None, None), ("明华街东十九巷", 1, 24)]),
    (0, 0, 1, "日常管理型", 214, 508, [("明华街东十九巷", 25, 48), ("明华街东二十巷", None, None)]),
    (0, 0, 2, "一般防范型", 243, 590, [("明华里", 1, 6)]),
    (1, 1, 0, "日常管理型", 168, 401, [("希望街北一巷", None, None), ("希望街", 1, 59)]),
    (1, 1, 1, "重点关注型", 231, 547, [("希望街北二巷", 1, 30), ("希望街", 60, 120)]),
    (1, 1, 2, "日常管理型", 197, 472, [("希望街北二巷", 31, 60), ("希望家园", 1, 4)]),
    (2, 2, 0, "日常管理型", 152, 366, [("锦绣苑", 1, 8)]),
    (2, 2, 1, "一般防范型", 208, 489, [("锦绣苑", 9, 14), ("明华街", 100, 160)]),
    (2, 2, 2, "日常管理型", 225, 531, [("和平里", 1, 10)]),
]
GRID_NUMBERS = "一二三四五六七八九"
BUILDING_HEADS = [
    "郭大姐",
    "何师傅",
    "吴阿姨",
    "罗大爷",
    "梁老师",
    "宋大哥",
    "唐阿姨",
    "韩师傅",
    "冯大姐",
]
POLICE = ["社区民警 刘警官", "社区民警 高警官", "社区民警 许警官"]
PROPERTY = {
    2: "明华里物业 张经理",
    5: "希望家园物业 田经理",
    6: "锦绣苑物业 曹经理",
    7: "锦绣苑物业 曹经理",
    8: "和平里物业 邓经理",
}
VOLUNTEERS = [
    "志愿者 小白",
    "志愿者 小蒋",
    "志愿者 小范",
    "志愿者 小于",
    "志愿者 小潘",
    "志愿者 小杜",
    "志愿者 小叶",
    "志愿者 小程",
    "志愿者 小苏",
]


def lattice():
    """The 4 × 4 lattice of lon/lat points the boundaries are built from."""
    metres_per_deg_lon = 1000 / WIDTH_DEG
    metres_per_deg_lat = 680 / HEIGHT_DEG
    points = {}
    for i, fx in enumerate(COLUMNS):
        for j, fy in enumerate(ROWS):
            east, north = NUDGES.get((i, j), (0, 0))
            lon = WEST + fx * WIDTH_DEG + east / metres_per_deg_lon
            lat = SOUTH + fy * HEIGHT_DEG + north / metres_per_deg_lat
            points[i, j] = [round(lon, 7), round(lat, 7)]
    return points


def ring(points, corners):
    coords = [points[c] for c in corners]
    return {"type": "Polygon", "coordinates": [[*coords, coords[0]]]}


def cell(points, i, j):
    """Grid (column i, row j), counter-clockwise."""
    return ring(points, [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)])


def column(points, i):
    """Zone i: the column of three cells, with every lattice point on its edges."""
    return ring(
        points,
        [(i, 0), (i + 1, 0), (i + 1, 1), (i + 1, 2), (i + 1, 3), (i, 3), (i, 2), (i, 1)],
    )


def outline(points):
    """The community: the lattice's outer ring, through every point on it."""
    south = [(i, 0) for i in range(4)]
    east = [(3, j) for j in range(1, 4)]
    north = [(i, 3) for i in range(2, -1, -1)]
    west = [(0, j) for j in range(2, 0, -1)]
    return ring(points, south + east + north + west)


def portrait(index):
    """A placeholder portrait: a drawn head-and-shoulders shape, no real person."""
    rng = random.Random(index)  # noqa: S311  (colours only)
    background = tuple(rng.randint(200, 235) for _ in range(3))
    figure = tuple(rng.randint(60, 110) for _ in range(3))
    image = PILImage.new("RGB", (240, 300), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((75, 55, 165, 150), fill=figure)
    draw.ellipse((35, 165, 205, 330), fill=figure)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer


def ensure_photo(ctx, index, name):
    Image = get_image_model()
    title = f"占位头像：{name}（演示用，非真实人物）"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(
            title=title, file=ImageFile(portrait(index), name=f"demo-worker-{index + 1}.png")
        )
        image.focal_point_x, image.focal_point_y = 120, 102
        image.focal_point_width, image.focal_point_height = 90, 95
        image.save()
        ctx.created += 1
    return image


def ensure_worker(ctx, index, user=None):
    name, title, phone, languages = WORKERS[index]
    worker = GridWorker.objects.filter(name=name, work_phone=phone).first()
    if worker is None:
        worker = GridWorker.objects.create(
            name=name,
            title=title,
            work_phone=phone,
            languages=languages,
            duties=DUTIES,
            email=f"worker{index + 1}@example.org",
            photo=ensure_photo(ctx, index, name),
            user=user,
        )
        ctx.created += 1
    elif user is not None and worker.user_id is None:
        update_fields(worker, user=user)
    return worker


def ensure_leave_today(ctx, worker):
    today = timezone.localdate()
    if worker.leave_periods.filter(starts_on__lte=today, ends_on__gte=today).exists():
        return
    LeavePeriod.objects.create(
        worker=worker,
        starts_on=today - datetime.timedelta(days=2),
        ends_on=today + datetime.timedelta(days=5),
        reason="年休假（演示）",
    )
    ctx.created += 1


def team_for(n):
    """3–5 team members for grid n (0-based)."""
    members = [
        GridTeamMember(
            role="building_head", name=BUILDING_HEADS[n], phone=f"139 0202 00{n + 1:02d}"
        ),
        GridTeamMember(
            role="community_police", name=POLICE[n // 3].split(" ")[1], phone="010-6543 2110"
        ),
        GridTeamMember(role="volunteer", name=VOLUNTEERS[n].split(" ")[1], phone=""),
    ]
    if n in PROPERTY:
        members.append(
            GridTeamMember(
                role="property_manager", name=PROPERTY[n].split(" ")[1], phone=f"010-6543 23{n:02d}"
            )
        )
    if n % 3 == 1:
        members.append(
            GridTeamMember(role="building_head", name=BUILDING_HEADS[(n + 4) % 9], phone="")
        )
    return members


def load(ctx):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    points = lattice()
    community_shape = outline(points)
    subdistrict = ensure_child_page(
        ctx,
        home,
        AreaPageFactory,
        SUBDISTRICT["slug"],
        title=SUBDISTRICT["title"],
        code=SUBDISTRICT["code"],
        level="subdistrict",
        introduction="明华街道（演示）。本演示只包含街道中的明华社区。",
        boundary=community_shape,
        show_in_menus=True,
    )
    community = ensure_child_page(
        ctx,
        subdistrict,
        AreaPageFactory,
        COMMUNITY["slug"],
        title=COMMUNITY["title"],
        code=COMMUNITY["code"],
        level="community",
        introduction=COMMUNITY["introduction"],
        service_centre_phone=COMMUNITY["service_centre_phone"],
        boundary=community_shape,
    )
    zones = []
    for i, (slug, title, introduction) in enumerate(ZONES):
        zones.append(
            ensure_child_page(
                ctx,
                community,
                AreaPageFactory,
                slug,
                title=title,
                code=f"{COMMUNITY['code']}{i + 1:02d}",
                level="zone",
                introduction=introduction,
                boundary=column(points, i),
            )
        )

    account = get_user_model().objects.filter(username="demo-gridworker").first()
    workers = [ensure_worker(ctx, n, user=account if n == 0 else None) for n in range(len(WORKERS))]
    ensure_leave_today(ctx, workers[ON_LEAVE])
    levels = {level.name: level for level in GridLevel.objects.all()}

    for n, (zone_index, i, j, level, households, population, addresses) in enumerate(GRIDS):
        zone = zones[zone_index]
        backup = workers[zone_index * 3 + (n % 3 + 1) % 3]
        ensure_child_page(
            ctx,
            zone,
            GridPageFactory,
            f"grid-{n + 1}",
            title=f"第{GRID_NUMBERS[n]}网格",
            code=f"{zone.code}{j + 1:03d}",
            level=levels.get(level),
            households=households,
            population=population,
            description=f"{ZONES[zone_index][1]}的第{j + 1}个网格，包括"
            + "、".join(place for place, _low, _high in addresses)
            + "。",
            service_hours="工作日 8:30-17:30；紧急情况请随时拨打",
            primary_worker=workers[n],
            backup_worker=backup,
            boundary=cell(points, i, j),
            addresses=[
                GridAddress(place=place, number_from=low, number_to=high)
                for place, low, high in addresses
            ],
            team_members=team_for(n),
        )
