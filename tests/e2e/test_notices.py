"""Notices and publicity in a real browser: the editor's urgent notice, the reviewer's approval,
and axe on every public page type in normal and care mode."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Site, Workflow

from notices.enums import Urgency
from notices.factories import ApprovalOutcomePageFactory, NoticeIndexPageFactory, NoticePageFactory
from notices.models import ApprovalIndexPage, ApprovalOutcome, ApprovalOutcomePage, NoticePage
from portal import roles
from portal.demo_support import DEMO_PASSWORD
from portal.factories import UserFactory


def login(page, username):
    page.goto("/accounts/login/")
    page.fill("#id_login", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("form:has(#id_login) button[type=submit]").click()
    page.wait_for_load_state()


def open_action_menu(page):
    toggle = page.locator("footer [data-w-dropdown-target='toggle']").first
    if toggle.count():
        toggle.click()


@pytest.fixture
def home(transactional_db):
    """The home page (not through the `site` fixture: that asks for the non-transactional db)."""
    return Site.objects.get(is_default_site=True).root_page.specific


@pytest.fixture
def notice_index(home):
    return NoticeIndexPageFactory(parent=home, slug="notices", title="通知公告")


@pytest.fixture
def publicity_index(transactional_db):
    return ApprovalIndexPage.objects.get(slug="publicity")


def test_editor_publishes_urgent_notice_and_banner_shows(page, notice_index):
    """An editor creates an urgent notice in the admin, publishes it, and the home page shows it."""
    UserFactory(username="demo-editor", password=DEMO_PASSWORD, groups=[roles.EDITORS])
    page.goto("/")
    assert page.locator(".urgent-banner").count() == 0
    login(page, "demo-editor")
    page.goto(f"/admin/pages/add/notices/noticepage/{notice_index.pk}/")
    page.fill("#id_title", "紧急：今晚八点起东片区停电检修")
    page.locator("#id_title").press("Tab")  # leaving the title fills in the slug
    page.wait_for_timeout(300)
    page.select_option("#id_category", label="通知公告")
    page.select_option("#id_urgency", value=Urgency.URGENT)
    open_action_menu(page)
    with page.expect_navigation():
        page.locator("button[name='action-publish']").click()
    page.wait_for_load_state()
    # The admin answers once the page is saved; give the live server a moment to finish.
    for _attempt in range(20):
        notice = NoticePage.objects.filter(title="紧急：今晚八点起东片区停电检修").first()
        if notice is not None and notice.live:
            break
        page.wait_for_timeout(250)
    assert notice is not None and notice.live
    page.goto("/")
    banner = page.locator(".urgent-banner")
    assert banner.is_visible()
    assert "今晚八点起东片区停电检修" in banner.inner_text()
    banner.get_by_role("link").first.click()
    assert page.locator("h1").inner_text() == "紧急：今晚八点起东片区停电检修"


def test_reviewer_approves_publicity_through_the_workflow(page, publicity_index):
    """After the centre's review, the subdistrict reviewer approves and the publicity goes live."""
    editor = UserFactory(username="demo-editor", password=DEMO_PASSWORD, groups=[roles.EDITORS])
    centre = UserFactory(
        username="demo-centre", password=DEMO_PASSWORD, groups=[roles.SERVICE_CENTRE_STAFF]
    )
    UserFactory(
        username="demo-reviewer", password=DEMO_PASSWORD, groups=[roles.PUBLICITY_REVIEWERS]
    )
    draft = ApprovalOutcomePageFactory.build(title="2026年第6批高龄津贴公示", live=False)
    draft.outcomes = [ApprovalOutcome(applicant="周大福", grid_name="第一网格")]
    publicity_index.add_child(instance=draft)
    draft.save_revision(user=editor)
    state = Workflow.objects.get(name="公示审核").start(draft, editor)
    state.current_task_state.task.specific.on_action(state.current_task_state, centre, "approve")
    draft.refresh_from_db()
    assert draft.current_workflow_task.name == "街道审批"

    login(page, "demo-reviewer")
    page.goto(f"/admin/pages/{draft.pk}/edit/")
    approve = page.locator("button[data-workflow-action-name='approve']").first
    if not approve.is_visible():
        open_action_menu(page)
    approve.click()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    assert ApprovalOutcomePage.objects.get(pk=draft.pk).live
    page.goto(draft.url)
    assert page.locator("h1").inner_text() == "2026年第6批高龄津贴公示"
    assert "周*福" in page.locator("table").inner_text()


@pytest.fixture
def public_pages(notice_index, publicity_index):
    notice = NoticePageFactory(
        parent=notice_index,
        title="流感高发期健康提示",
        urgency=Urgency.URGENT,
        valid_until=timezone.localdate() + dt.timedelta(days=7),
        summary="社区卫生服务站延长接种时间。",
        body=[
            ("paragraph", "<p>本周工作日接种时间延长至19:00。</p>"),
            ("contact", {"name": "明华社区服务中心", "phone": "010-6543 2100", "hours": "工作日"}),
        ],
    )
    NoticePageFactory(parent=notice_index, title="垃圾分类新规解读", urgency=Urgency.IMPORTANT)
    batch = ApprovalOutcomePageFactory.build(title="2026年第4批最低生活保障新增对象公示")
    batch.outcomes = [
        ApprovalOutcome(
            applicant="张建华", grid_name="第一网格", household_size=3, benefit="每月 2,280 元"
        )
    ]
    publicity_index.add_child(instance=batch)
    batch.save_revision().publish()
    from notices.alerts.tokens import make
    from notices.models import AlertSubscriber, AlertSubscription

    subscriber = AlertSubscriber.objects.create(address="resident@example.org")
    AlertSubscription.objects.create(subscriber=subscriber, publicity=True)
    return {
        "index": notice_index.url,
        "notice": notice.url,
        "publicity index": publicity_index.url,
        "publicity": batch.url,
        "alerts": "/alerts/",
        "alerts manage": f"/alerts/manage/{make('manage', subscriber.pk, subscriber.address)}/",
    }


@pytest.mark.parametrize(
    "which", ["index", "notice", "publicity index", "publicity", "alerts", "alerts manage"]
)
@pytest.mark.parametrize("mode", ["normal", "care"])
def test_public_pages_have_no_wcag_violations(page, axe, care_mode, public_pages, which, mode):
    """axe-core finds no WCAG 2.1 A/AA violation on notice and publicity pages and the alert
    pages, in both modes."""
    if mode == "care":
        care_mode()
    page.goto(public_pages[which])
    assert page.locator("h1").is_visible()
    axe(page)


def test_index_filters_work_by_keyboard(page, public_pages):
    """A resident filters the notice index with the keyboard alone."""
    page.goto(public_pages["index"])
    page.locator("#filter-category").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "year=" in page.url
    assert page.get_by_role("link", name="垃圾分类新规解读").is_visible()
