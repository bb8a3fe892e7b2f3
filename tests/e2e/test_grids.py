"""Grids in a real browser: lookup by address and by location, the sign, and accessibility."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pypdf import PdfReader

from grids import demo
from grids.models import AreaPage, GridPage
from notices import demo as notices_demo
from portal.demo_support import DemoContext


@pytest.fixture
def demo_grids(db):
    """The demo community (areas, nine grids, workers; one primary on leave today)."""
    demo.load(DemoContext(stdout=io.StringIO()))


@pytest.mark.parametrize("typed", ["明华街东十九巷12号", "明华街东19巷12号"])
def test_resident_types_an_address_and_gets_a_call_link(page, demo_grids, typed):
    """From the home page box, an address (numerals either way) finds the worker to call."""
    page.goto("/")
    box = page.get_by_role("searchbox", name="地址、小区、网格名称或编码")
    box.fill(typed)
    box.press("Enter")
    page.wait_for_url("**/grids/lookup/**")
    assert page.get_by_role("heading", name="找到您所在的网格").is_visible()
    assert page.get_by_role("link", name="第一网格").is_visible()
    call = page.get_by_role("link", name="拨打周晓燕的工作电话 138 0101 0001")
    assert call.get_attribute("href") == "tel:13801010001"


def test_lookup_works_by_keyboard_alone(page, demo_grids):
    """Type, submit with Enter, and reach the call link with Tab, without touching the map."""
    page.goto("/grids/lookup/")
    page.get_by_role("searchbox", name="地址、小区、网格名称或编码").focus()
    page.keyboard.type("希望街北二巷40号")
    page.keyboard.press("Enter")
    page.wait_for_url("**q=**")
    heading = page.get_by_role("heading", name="找到您所在的网格")
    assert heading.evaluate("el => el === document.activeElement")
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
        if focused.startswith("tel:"):
            break
    assert focused == "tel:13801010006"  # 第六网格's primary, 孙雅琴


def test_use_my_location_finds_the_grid_and_the_covering_backup(page, demo_grids):
    """A mocked position inside the fifth grid finds it, with the backup on duty today."""
    grid = GridPage.objects.get(slug="grid-5")
    point = grid.shape.representative_point()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": point.y, "longitude": point.x})
    page.goto("/grids/lookup/")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_url("**lat=**")
    assert page.get_by_role("link", name="第五网格").is_visible()
    assert page.get_by_text("今日在岗：备岗（B岗）").is_visible()
    assert page.get_by_role("link", name="拨打孙雅琴的工作电话 138 0101 0006").is_visible()


def test_location_messages_in_english_mode(page, demo_grids, live_server, settings):
    """grids.js speaks the page's language: a refused position is explained in English."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
    )
    page.context.clear_permissions()
    page.goto("/grids/lookup/")
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#lookup-status")).to_have_text(
        "Your location is not available. Please allow location access or type your address."
    )


def test_location_outside_every_grid_gets_a_clear_answer(page, demo_grids):
    """A position far from the community is refused with a message, not a wrong grid."""
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 31.23, "longitude": 121.47})
    page.goto("/grids/lookup/")
    page.get_by_role("button", name="使用我的位置").click()
    page.wait_for_url("**lat=**")
    assert page.get_by_text("您的位置不在本站任何网格的范围内").is_visible()


@pytest.fixture
def demo_grids_and_notices(demo_grids):
    """The demo community with the demo notices, among them an urgent one (the banner)."""
    notices_demo.load(DemoContext(stdout=io.StringIO()))


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_grid_sign_prints_on_one_a4_page_without_the_banner(
    page, care_mode, demo_grids_and_notices, mode
):
    """The sign shows the on-duty worker, map and QR code, and prints from the browser's own
    print command as a single A4 page, in care mode too, without the urgent banner."""
    if mode == "care":
        care_mode()
    grid = GridPage.objects.get(slug="grid-5")  # the longest sign: a leave notice, two cards
    page.goto(f"/grids/{grid.code}/sign/")
    assert page.get_by_text("网格公示牌", exact=True).is_visible()
    assert page.get_by_role("heading", name="孙雅琴").is_visible()
    assert page.locator("svg.grid-map").is_visible()
    assert page.locator("svg.qr").is_visible()
    assert page.locator(".urgent-banner").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".urgent-banner").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


def test_sign_print_button_only_with_javascript(browser, live_server, page, demo_grids):
    """The print button is made by the script, so no dead button shows without one."""
    grid = GridPage.objects.get(slug="grid-1")
    page.goto(f"/grids/{grid.code}/sign/")
    assert page.get_by_role("button", name="打印公示牌").is_visible()
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, java_script_enabled=False
    )
    try:
        bare = context.new_page()
        bare.goto(f"/grids/{grid.code}/sign/")
        assert bare.get_by_text("用浏览器的打印功能打印本页").is_visible()
        assert (
            bare.get_by_role("button").count()
            # get_by_role sees only what is shown: the search button in the closed menu is not.
            == bare.locator("header button:visible, footer button:visible").count()
        )
        assert bare.locator(".sign__print button").count() == 0
    finally:
        context.close()


def test_area_map_links_reach_grid_pages(page, demo_grids):
    """Each grid on its area's map (the area right above it) is a link that leads to its page."""
    area = GridPage.objects.get(slug="grid-3").get_parent()
    page.goto(area.url)
    page.locator("svg.grid-map a[aria-label^='第三网格']").click()
    page.wait_for_url("**/grid-3/")
    assert page.get_by_role("heading", name="第三网格", level=1).is_visible()


def pages_to_check():
    grid = GridPage.objects.get(slug="grid-5")
    return {
        "area": AreaPage.objects.get(level="community").url,
        "grid": grid.url,
        "lookup": "/grids/lookup/?q=明华街东十九巷",
        "sign": f"/grids/{grid.code}/sign/",
    }


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize("which", ["area", "grid", "lookup", "sign"])
def test_grid_pages_have_no_wcag_violations(page, axe, care_mode, demo_grids, which, mode):
    """axe finds no WCAG 2.1 A/AA violation on area, grid, lookup and sign pages."""
    if mode == "care":
        care_mode()
    page.goto(pages_to_check()[which])
    axe(page)


@pytest.fixture
def axe_rule():
    """Check the current page against one axe rule."""
    checker = Axe()

    def check(page, rule):
        results = checker.run(page, options={"runOnly": {"type": "rule", "values": [rule]}})
        assert results.violations_count == 0, results.generate_report()

    return check


# Rendered size of each SVG text: its font size times the scale of its SVG on the screen.
TEXT_SIZES = """els => els.map(t => [t.textContent,
    parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a])"""


def _inside(inner, outer, slack=1):
    return (
        inner["x"] >= outer["x"] - slack
        and inner["y"] >= outer["y"] - slack
        and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
        and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack
    )


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize("width", [320, 360])
def test_grid_page_on_a_phone(page, care_mode, demo_grids, axe_rule, width, mode):
    """At 320 and 360 px: statistics totals, and the tables one tap away as cards in
    labelled, focusable regions (no axe
    scrollable-region-focusable), chart and map text of 12 px or more with the grid's own label
    larger, every map label and link inside the visible map, and each link visibly focused."""
    if mode == "care":
        care_mode()
    page.set_viewport_size({"width": width, "height": 780})
    grid = GridPage.objects.get(slug="grid-5")
    page.goto(grid.url)
    assert page.locator(".grid-stats__totals").is_visible()
    page.locator(".grid-stats__more summary").click()  # the month by month tables
    axe_rule(page, "scrollable-region-focusable")

    regions = page.locator(".grid-stats .table-wrap")
    assert regions.count() >= 2
    for region in regions.all():
        assert region.get_attribute("role") == "region"
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    # Cards, not one-character columns: every figure has most of the screen's width.
    for cell in page.locator(".grid-stats td").all():
        assert cell.bounding_box()["width"] >= width * 0.6

    for text, size in page.locator("svg.chart text").evaluate_all(TEXT_SIZES):
        assert size >= 12, f"chart text {text!r} is {size:.1f} px"

    svg = page.locator("svg.grid-map")
    visible = svg.bounding_box()
    assert visible["x"] >= 0 and visible["x"] + visible["width"] <= width
    sizes = dict(svg.locator("text").evaluate_all(TEXT_SIZES))
    assert sizes.pop("第五网格") >= 18
    assert sizes and all(size >= 12 for size in sizes.values()), sizes
    for label in svg.locator("text").all():
        assert _inside(label.bounding_box(), visible), label.text_content()
    links = svg.locator("a")
    assert links.count() == 9
    for link in links.all():
        assert _inside(link.bounding_box(), visible), link.get_attribute("aria-label")
    for link in links.all():
        link.focus()  # scrolls the map into view
        assert _inside(link.bounding_box(), svg.bounding_box()), link.get_attribute("aria-label")
        fill = link.locator("path").evaluate("p => getComputedStyle(p).fill")
        assert fill == "rgb(255, 191, 71)", link.get_attribute("aria-label")


def test_call_button_in_the_first_screen_in_care_mode(page, care_mode, demo_grids):
    """In care mode the on-duty worker's call button comes right after the title, and the
    breadcrumb and grid code after the card."""
    care_mode()
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(GridPage.objects.get(slug="grid-5").url)
    call = page.locator(".on-duty .button--call").first
    assert call.get_attribute("href") == "tel:13801010006"
    box = call.bounding_box()
    assert box["y"] + box["height"] <= 780
    order = page.locator("main h1, main .on-duty, main .breadcrumb").evaluate_all(
        "els => els.map(e => e.tagName + '.' + e.className)"
    )
    assert order == ["H1.", "SECTION.on-duty", "NAV.breadcrumb"]
