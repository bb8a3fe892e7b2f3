"""Case handling in a real browser: a worker handles a case, the resident tracks and rates it,
a resident rates their grid's service; axe on the tracking, rating and statistics pages."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.totp.internal.auth import app_settings as totp_settings
from django.db import transaction

from feedback.enums import CaseState
from feedback.factories import FeedbackCategoryFactory, FeedbackFactory, ServiceCentreFactory
from feedback.handling.transitions import reply
from feedback.models import CentreMembership, Feedback, GridSurveyRating, Rating, ServiceCentre
from grids.factories import GridWorkerFactory, build_area_tree
from portal import roles
from portal.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def staffed_grid(home_page):
    """A community with a centre, and its one grid whose primary worker has an account."""
    user = UserFactory(username="worker-e2e", email="w@example.org", groups=[roles.GRID_WORKERS])
    tree = build_area_tree(
        home_page,
        {
            "community": {
                "title": "明华社区",
                "slug": "mh",
                "code": "C1",
                "level": "community",
                "extent": (0, 0, 0.01, 0.01),
                "children": {
                    "grid": {
                        "title": "第一网格",
                        "slug": "g1",
                        "code": "C101",
                        "level": "grid",
                        "extent": (0, 0, 0.01, 0.01),
                        "primary_worker": GridWorkerFactory(name="张敏", user=user),
                    }
                },
            }
        },
    )
    ServiceCentreFactory(name="明华社区服务中心", community=tree["community"])
    return tree["grid"]


def _new_case(**fields):
    """Cases get their ticket number inside the transaction that saves them."""
    with transaction.atomic():
        return FeedbackFactory(**fields)


def _totp_code(secret):
    counter = int(time.time()) // totp_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def _sign_in(page, username, secret, next_url):
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.fill("input[name=code]", _totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**{next_url}")


def test_worker_handles_case_and_resident_rates(page, staffed_grid, settings, new_context):
    """With TOTP required, a worker signs in, dispatches and replies; the service centre
    verifies and closes; the resident opens the tracking page with the code, reads the reply
    and rates."""
    settings.PORTAL_REQUIRE_STAFF_MFA = True
    user = staffed_grid.primary_worker.user
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    centre_user = UserFactory(
        username="centre-e2e", email="c@example.org", groups=[roles.SERVICE_CENTRE_STAFF]
    )
    CentreMembership.objects.create(
        centre=ServiceCentre.objects.get(name="明华社区服务中心"), user=centre_user
    )
    centre_secret = generate_totp_secret()
    TOTP.activate(centre_user, centre_secret)
    category = FeedbackCategoryFactory(name="设施报修E2E")
    case = _new_case(
        category=category,
        grid=staffed_grid,
        community=staffed_grid.community(),
        subject="三号楼路灯不亮",
        contact_email="resident@example.org",
    )

    _sign_in(page, "worker-e2e", secret, "/admin/cases/")

    page.get_by_role("link", name=case.ticket_number).click()
    page.select_option("#act-action", "dispatch")
    page.get_by_role("button", name="提交", exact=True).click()
    assert "派遣" in page.locator("#case-state").inner_text()
    page.select_option("#act-action", "start")
    page.get_by_role("button", name="提交", exact=True).click()
    page.fill("#reply-text", "路灯已更换，恢复照明。")
    page.get_by_role("button", name="发布答复").click()
    # The worker who handled the case cannot verify it; the service centre does.
    assert page.locator("#act-action option[value=verify]").count() == 0
    assert "办理人不能核查自己办理的诉求" in page.locator("#verification-refusal").inner_text()

    centre = new_context().new_page()
    _sign_in(centre, "centre-e2e", centre_secret, f"/admin/cases/{case.pk}/")
    centre.select_option("#act-action", "verify")
    centre.fill("#act-note", "现场查看，灯已亮")
    centre.get_by_role("button", name="提交", exact=True).click()
    assert "centre-e2e" in centre.locator("#case-verifier").inner_text()
    centre.select_option("#act-action", "close")
    centre.get_by_role("button", name="提交", exact=True).click()
    assert "办结" in centre.locator("#case-state").inner_text()
    centre.context.close()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.owner == user
    assert case.verified_by == centre_user

    resident = new_context().new_page()
    resident.goto("/feedback/track/")
    resident.get_by_label("查询码").fill(case.tracking_code.lower())
    resident.get_by_role("button", name="查询").click()
    assert "路灯已更换，恢复照明。" in resident.locator("#case-reply").inner_text()
    assert "worker-e2e" not in resident.content() and "张敏" not in resident.content()
    resident.get_by_role("link", name="评价办理情况").click()
    resident.get_by_label("满意", exact=True).check()
    resident.get_by_label("意见（选填）").fill("很及时")
    resident.get_by_role("button", name="提交评价").click()
    assert "您的评价：满意" in resident.locator("#rating-section").inner_text()
    assert Rating.objects.get(case=case).level == 4


def test_resident_rates_grid_service(page, staffed_grid):
    """From the grid page, a resident follows "评价网格服务" and rates the grid's service."""
    page.goto(staffed_grid.url)
    page.get_by_role("link", name="评价网格服务").click()
    page.get_by_label("非常满意").check()
    page.get_by_label("响应速度").check()
    page.get_by_role("button", name="提交评价").click()
    assert "谢谢您的评价" in page.locator("#survey-thanks").inner_text()
    rating = GridSurveyRating.objects.get()
    assert (rating.level, rating.aspects, rating.verified) == (5, "speed", False)


@pytest.fixture
def closed_case(staffed_grid):
    case = _new_case(
        category=FeedbackCategoryFactory(name="环境卫生E2E"),
        grid=staffed_grid,
        community=staffed_grid.community(),
        subject="垃圾堆放",
    )
    reply(case, staffed_grid.primary_worker.user, "已清运。")
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    return case


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize("which", ["track", "case", "rate", "statistics", "survey", "grid"])
def test_case_pages_have_no_wcag_violations(
    page, axe, care_mode, closed_case, staffed_grid, mode, which
):
    """axe finds no WCAG 2.1 A/AA violation on the tracking, rating, statistics and survey
    pages, in normal and care mode."""
    if mode == "care":
        care_mode()
    urls = {
        "track": "/feedback/track/",
        "case": f"/feedback/track/{closed_case.tracking_code}/",
        "rate": f"/feedback/track/{closed_case.tracking_code}/rate/",
        "statistics": "/statistics/",
        "survey": f"/feedback/survey/{staffed_grid.pk}/",
        "grid": staffed_grid.url,
    }
    page.goto(urls[which])
    axe(page)


def test_tracking_form_works_by_keyboard(page, closed_case):
    """The code field and the button are reached with Tab and sent with Enter."""
    page.goto("/feedback/track/")
    page.get_by_label("查询码").focus()
    page.keyboard.type(closed_case.tracking_code)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/feedback/track/{closed_case.tracking_code}/")
    assert "已清运。" in page.locator("#case-reply").inner_text()


def test_worker_filters_and_sorts_the_inbox(page, staffed_grid):
    """In the inbox a worker narrows the list with the filter menu, sorts it by deadline and
    opens a case from it."""
    from playwright.sync_api import expect

    category = FeedbackCategoryFactory(name="设施报修E2E")
    fields = {"category": category, "grid": staffed_grid, "community": staffed_grid.community()}
    lamp = _new_case(subject="路灯不亮", **fields)
    _new_case(subject="垃圾没清运", **fields)
    Feedback.objects.filter(pk=lamp.pk).update(state=CaseState.DISPATCHED)

    page.goto("/accounts/login/?next=/admin/cases/")
    page.fill("input[name=login]", "worker-e2e")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/admin/cases/")
    table = page.locator("table.listing")
    expect(table).to_contain_text("垃圾没清运")

    page.get_by_role("button", name="显示过滤器").click()
    page.get_by_role("button", name="状态").click()
    page.select_option("#id_state", "dispatched")
    expect(table).not_to_contain_text("垃圾没清运")
    expect(table).to_contain_text("路灯不亮")
    assert "state=dispatched" in page.url

    page.get_by_role("link", name="办理时限").click()
    page.wait_for_url("**ordering=deadline**")
    page.get_by_role("link", name=lamp.ticket_number).click()
    page.wait_for_url(f"**/admin/cases/{lamp.pk}/")
    assert "派遣" in page.locator("#case-state").inner_text()
