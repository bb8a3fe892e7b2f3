"""On a resident's phone and for older eyes: the first screen, the menu without JavaScript,
"use my location" from the home page, care mode's sizes and read-aloud, numbers that do not
wrap, and axe at 320, 360 and 1366 px in normal, care and English modes."""

import io

import pytest

from feedback.factories import FeedbackFormPageFactory
from grids import demo
from grids.models import GridPage
from notices.enums import Urgency
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from portal.demo_support import DemoContext
from portal.models import SiteSettings

PHONE = {"width": 360, "height": 780}
MODES = {
    "normal": [],
    "care": [{"name": "care_mode", "value": "1"}],
    "english": [{"name": "portal_language", "value": "en"}],
    "english-care": [
        {"name": "care_mode", "value": "1"},
        {"name": "portal_language", "value": "en"},
    ],
}


@pytest.fixture
def phone_site(site):
    """The demo grids, the feedback form, a notice index with an urgent notice, site settings
    with the centre's phone."""
    demo.load(DemoContext(stdout=io.StringIO()))
    home = site.root_page
    form = FeedbackFormPageFactory.build(slug="feedback", title="我要反映", show_in_menus=True)
    home.add_child(instance=form)
    form.save_revision().publish()
    index = NoticeIndexPageFactory(parent=home, slug="notices", show_in_menus=True)
    NoticePageFactory(
        parent=index,
        slug="flu",
        title="流感高发期健康提示：本周社区卫生服务站延长接种时间，请居民合理安排",
        urgency=Urgency.URGENT,
    )
    NoticePageFactory(parent=index, slug="heating", title="关于冬季供暖报修的通知")
    settings = SiteSettings.for_site(site)
    settings.phone = "010-6543 2100"
    settings.sponsor = "明华街道办事处"
    settings.save()
    grid = GridPage.objects.get(slug="grid-1")
    return {
        "home": "/",
        "notice index": "/notices/",
        "notice": "/notices/heating/",
        "area": grid.get_parent().url,
        "grid": grid.url,
        "lookup": "/grids/lookup/?q=明华",
        "feedback form": "/feedback/",
        "case tracking": "/feedback/track/",
    }


@pytest.fixture
def open_page(new_context, live_server):
    """A page in a fresh browser context of the given size and options, in the given mode (the
    cookies the switches set)."""

    def open_(mode="normal", viewport=PHONE, **options):
        context = new_context(viewport=viewport, **options)
        if MODES[mode]:
            context.add_cookies([{**cookie, "url": live_server.url} for cookie in MODES[mode]])
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    return open_


def bottom(page, selector):
    """Where the element ends, in CSS px from the top of the page."""
    return page.eval_on_selector(
        selector, "el => el.getBoundingClientRect().bottom + window.scrollY"
    )


@pytest.mark.parametrize("mode", sorted(MODES))
def test_first_screen_holds_the_main_tasks(phone_site, open_page, live_server, mode):
    """On a 360×780 phone the lookup box, 我要反映 and 查询办理进度 are all on the first screen,
    in every mode, with an urgent notice in the banner."""
    page = open_page(mode)
    page.goto(live_server.url + "/")
    assert page.locator(".urgent-banner").is_visible()
    for selector in (
        ".lookup input[type=search]",
        ".lookup button[type=submit]",
        ".tasks a[href='/feedback/']",
        ".tasks a[href='/feedback/track/']",
    ):
        assert page.locator(selector).is_visible(), selector
        assert bottom(page, selector) <= PHONE["height"], (mode, selector)
    # The urgent notice takes one line that opens it.
    link = page.locator(".urgent-banner__link")
    height = link.evaluate("el => el.getBoundingClientRect().height")
    assert height <= (60 if "care" in mode else 44) + 1
    link.click()
    page.wait_for_url("**/notices/flu/")


def test_header_is_compact_on_every_page(phone_site, open_page, live_server):
    """The header (with its menu closed) takes at most 140 px on a phone, in care mode too."""
    for mode, limit in (("normal", 100), ("care", 140)):
        page = open_page(mode)
        for path in phone_site.values():
            page.goto(live_server.url + path)
            assert bottom(page, "header") <= limit, (mode, path)


def test_menu_opens_without_javascript(phone_site, open_page, live_server):
    """The menu is a <details> disclosure: it opens with no script, and holds case tracking."""
    page = open_page("normal", java_script_enabled=False)
    page.goto(live_server.url + "/notices/")
    tracking = page.get_by_role("link", name="查询办理进度")
    assert not page.locator("details.site-menu .main-menu").is_visible()
    page.locator("details.site-menu > summary").click()
    assert page.locator("details.site-menu").get_attribute("open") is not None
    menu = page.locator("details.site-menu")
    assert menu.get_by_role("link", name="查询办理进度").is_visible()
    assert menu.get_by_role("searchbox", name="搜索本站").is_visible()
    assert tracking.count() >= 1


def test_a_button_that_needs_javascript_stays_hidden_without_it(phone_site, open_page, live_server):
    """Without JavaScript "使用我的位置" is not shown: [hidden] wins over button styles."""
    page = open_page("normal", java_script_enabled=False)
    page.goto(live_server.url + "/")
    assert page.locator("button[data-locate]").count() == 1
    assert not page.locator("button[data-locate]").is_visible()


def test_use_my_location_from_the_home_page(phone_site, open_page, live_server):
    """With a (mocked) position inside 第五网格, the home page's button finds that grid."""
    grid = GridPage.objects.get(slug="grid-5")
    point = grid.shape.representative_point()
    page = open_page(
        "normal",
        geolocation={"latitude": point.y, "longitude": point.x},
        permissions=["geolocation"],
    )
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="使用我的位置")
    assert button.is_visible()
    button.click()
    page.wait_for_url("**/grids/lookup/?lat=**")
    assert page.get_by_role("link", name="第五网格").is_visible()


CONTROLS = "a, button, input, select, textarea, summary"


def small_controls(page):
    """Visible controls smaller than 60×60 px (a radio or checkbox is measured by its label)."""
    return page.eval_on_selector_all(
        CONTROLS,
        """els => els.filter(el => el.getClientRects().length && !el.closest('svg'))
            .map(el => {
              let target = el;
              if (el.type === 'radio' || el.type === 'checkbox') {
                target = el.closest('label')
                  || document.querySelector(`label[for="${el.id}"]`) || el;
              }
              const r = target.getBoundingClientRect();
              return [el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 20),
                      Math.round(r.width), Math.round(r.height)];
            })
            .filter(([, w, h]) => w < 60 || h < 60)""",
    )


def small_text(page):
    """Elements of the page whose own text is set below 20 px (maps excepted)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(el => !el.closest('svg') && el.getClientRects().length
              && !el.closest('.visually-hidden')
              && [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
            .map(el => [el.tagName + '.' + el.className, parseFloat(getComputedStyle(el).fontSize)])
            .filter(([, size]) => size < 20)"""
    )


@pytest.mark.parametrize("width", [360, 1366])
def test_care_mode_meets_the_ageing_friendly_rules(phone_site, open_page, live_server, width):
    """In care mode every control is at least 60×60 px (links in lists and the footer too),
    all text at least 20 px with line spacing 1.5 or more, and nothing moves."""
    page = open_page("care", viewport={"width": width, "height": 900})
    for name, path in phone_site.items():
        page.goto(live_server.url + path)
        page.evaluate("document.querySelectorAll('details.site-menu').forEach(d => d.open = true)")
        assert small_controls(page) == [], name
        assert small_text(page) == [], name
        line = page.evaluate(
            "parseFloat(getComputedStyle(document.body).lineHeight) / "
            "parseFloat(getComputedStyle(document.body).fontSize)"
        )
        assert line >= 1.5
        assert page.evaluate("getComputedStyle(document.body).transitionDuration") == "0s"


def test_care_mode_shows_an_extra_large_cursor_with_a_mouse(phone_site, open_page, live_server):
    page = open_page("care", viewport={"width": 1366, "height": 900})
    page.goto(live_server.url + "/")
    cursor = page.evaluate("getComputedStyle(document.body).cursor")
    assert "cursor-care.svg" in cursor
    link = page.evaluate("getComputedStyle(document.querySelector('main a')).cursor")
    assert "cursor-care-pointer.svg" in link


FAKE_SPEECH = """
window.__spoken = [];
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  speak(u) { window.__spoken.push(u.text); window.__lang = u.lang; },
  cancel() { window.__cancelled = (window.__cancelled || 0) + 1; },
}});
"""


def test_read_aloud_uses_the_browsers_speech(phone_site, open_page, live_server):
    """In care mode "朗读本页" hands the main content to the browser's speech synthesis, in
    Chinese; "停止朗读" stops it."""
    page = open_page("care")
    page.context.add_init_script(FAKE_SPEECH)
    page.goto(live_server.url + "/notices/heating/")
    page.get_by_role("button", name="朗读本页").click()
    spoken = "".join(page.evaluate("window.__spoken"))
    assert "关于冬季供暖报修的通知" in spoken
    assert "朗读本页" not in spoken
    assert page.evaluate("window.__lang") == "zh-CN"
    page.get_by_role("button", name="停止朗读").click()
    assert page.evaluate("window.__cancelled") >= 2
    assert page.get_by_role("button", name="朗读本页").is_visible()


def test_no_read_aloud_outside_care_mode_or_without_speech(phone_site, open_page, live_server):
    page = open_page("normal")
    page.context.add_init_script(FAKE_SPEECH)
    page.goto(live_server.url + "/")
    assert page.get_by_role("button", name="朗读本页").count() == 0
    care = open_page("care")
    care.context.add_init_script(
        "Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});"
    )
    care.goto(live_server.url + "/")
    assert care.evaluate("window.speechSynthesis === undefined")
    assert care.get_by_role("button", name="朗读本页").count() == 0


@pytest.mark.parametrize("width", [320, 360])
def test_phone_numbers_never_wrap(phone_site, open_page, live_server, width):
    """Each phone number stays on one line: in the call buttons, the footer and the lists."""
    for mode in ("normal", "care"):
        page = open_page(mode, viewport={"width": width, "height": 780})
        for path in (phone_site["grid"], phone_site["lookup"].replace("明华", "第一网格"), "/"):
            page.goto(live_server.url + path)
            numbers = page.eval_on_selector_all(
                ".tel, a[href^='tel:']:not(.button)",
                "els => els.filter(el => el.getClientRects().length)"
                ".map(el => [el.textContent.trim(), el.getClientRects().length])",
            )
            assert numbers, path
            # A number inside a call button sits in its own unbreakable span.
            assert page.locator("a.button[href^='tel:']:not(:has(.tel))").count() == 0, path
            assert [n for n in numbers if n[1] != 1] == [], (mode, path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [320, 360, 1366])
@pytest.mark.parametrize("mode", ["normal", "care", "english"])
def test_no_wcag_violations_at_each_width_and_mode(
    phone_site, open_page, live_server, axe, width, mode
):
    """axe finds no WCAG 2.1 A/AA violation (and in care mode no 7:1 contrast failure) on each
    page type, at 320, 360 and 1366 px, in normal, care and English modes."""
    page = open_page(mode, viewport={"width": width, "height": 800})
    for name, path in phone_site.items():
        page.goto(live_server.url + path)
        try:
            axe(page)
        except AssertionError as error:
            raise AssertionError(f"{name} ({path}): {error}") from None
