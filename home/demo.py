"""Demo content of the foundation: home page text, site settings, accounts and two pages."""

from django.contrib.auth import get_user_model
from wagtail.models import Site

from portal import roles
from portal.demo_support import DEMO_PASSWORD, ensure_child_page, update_fields
from portal.factories import UserFactory
from portal.models import SiteSettings

from .factories import StandardPageFactory
from .models import HomePage

DEMO_ACCOUNTS = [
    ("demo-editor", roles.EDITORS, "编辑（发布通知公告）"),
    ("demo-reviewer", roles.PUBLICITY_REVIEWERS, "公示审核员"),
    ("demo-gridworker", roles.GRID_WORKERS, "网格员"),
    ("demo-centre", roles.SERVICE_CENTRE_STAFF, "社区服务中心工作人员"),
    ("demo-admin", roles.ADMINISTRATORS, "管理员"),
    ("demo-resident", None, "居民（无后台权限）"),
]

HOME_INTRODUCTION = (
    "明华社区划分为若干网格，每个网格都有责任网格员和备岗人员。"
    "在这里可以查到您所在的网格和网格员，阅读通知公告和公示，提出意见建议并跟踪办理。"
)

ABOUT_BODY = [
    (
        "paragraph",
        "<p>明华社区（演示）位于明华街道中部，约0.68平方千米，划分为三个片区、九个网格。"
        "每个网格约一两百户，由一名网格员负责、一名备岗人员协助，"
        "并有楼栋长、社区民警、物业和志愿者组成的网格管理团队。</p>",
    ),
    (
        "contact",
        {"name": "明华社区服务中心", "phone": "010-6543 2100", "hours": "工作日 8:30-17:30"},
    ),
]

PRIVACY_BODY = [
    (
        "paragraph",
        "<p>您通过本站提交的姓名、电话、电子邮箱和照片，只有处理您诉求的工作人员可以查看，"
        "不会在网站上公开。公示内容中的身份证号、电话和姓名均按规定脱敏显示。"
        "诉求办结一年后，联系方式将被匿名化，照片将被删除。</p>",
    ),
]


def load(ctx):
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    if isinstance(home, HomePage) and home.introduction != HOME_INTRODUCTION:
        home.introduction = HOME_INTRODUCTION
        home.save_revision().publish()
    update_fields(site, site_name="明华社区网格化服务管理门户（演示）")

    site_settings = SiteSettings.for_site(site)
    update_fields(
        site_settings,
        sponsor="明华街道办事处（演示）",
        address="明华街88号",
        phone="010-6543 2100",
        supervision_phone="010-6543 2199",
        icp_filing="京ICP备00000000号-1（演示）",
        public_security_filing="京公网安备00000000000000号（演示）",
        site_id_code="0000000000",
        hotline="12345",
        description="查找您所在的网格和网格员，阅读通知公告和公示，反映问题并查询办理进度。",
    )

    ensure_child_page(
        ctx,
        home,
        StandardPageFactory,
        "about",
        title="关于社区",
        introduction="明华社区的网格划分和网格化服务管理方式。",
        body=ABOUT_BODY,
        show_in_menus=True,
    )
    ensure_child_page(
        ctx,
        home,
        StandardPageFactory,
        "privacy",
        title="个人信息保护说明",
        introduction="我们如何使用和保护您提交的个人信息。",
        body=PRIVACY_BODY,
        show_in_menus=True,
    )

    User = get_user_model()
    for username, role, description in DEMO_ACCOUNTS:
        if not User.objects.filter(username=username).exists():
            UserFactory(
                username=username,
                email=f"{username}@example.org",
                password=DEMO_PASSWORD,
                groups=[role] if role else [],
            )
            ctx.created += 1
        ctx.accounts.append((username, DEMO_PASSWORD, description))
