"""The home page in a real browser: renders, care mode, language switch, accessibility."""

import pytest


def test_home_page_renders(page):
    """The home page shows the portal's name, the search box and the skip link works."""
    page.goto("/")
    assert page.locator("h1").inner_text() != ""
    assert page.get_by_role("searchbox", name="搜索本站").is_visible()
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到主要内容")
    assert skip.evaluate("el => el === document.activeElement")
    skip.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_care_mode_switch_persists_across_pages(page, care_mode):
    """Care mode enlarges the text and stays on while the resident moves to another page."""
    page.goto("/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    care_mode()
    assert page.locator("html").get_attribute("class") == "care"
    body_px = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    h1_px = page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.body).lineHeight) / "
        "parseFloat(getComputedStyle(document.body).fontSize)"
    )
    assert body_px >= 18 > normal
    assert h1_px >= 20
    assert line >= 1.5
    page.goto("/search/?q=网格")
    assert page.locator("html").get_attribute("class") == "care"
    page.get_by_role("link", name="退出关怀版").click()
    assert page.locator("html").get_attribute("class") in (None, "")


def test_care_mode_tap_targets_are_large(page, care_mode):
    """In care mode every link, button and field shown in the header is at least 60 px tall
    (the national rules for ageing-friendly websites)."""
    care_mode()
    heights = page.eval_on_selector_all(
        ".site-header a, .site-header button, .site-header input, .site-header summary",
        "els => els.filter(el => el.getClientRects().length)"
        ".map(el => el.getBoundingClientRect().height)",
    )
    assert len(heights) > 3
    assert min(heights) >= 60


def test_language_switch(page):
    """Choosing English switches the interface; choosing 简体中文 switches it back."""
    page.goto("/")
    page.get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("searchbox", name="Search this site").is_visible()
    page.get_by_role("link", name="简体中文").click()
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_home_page_has_no_wcag_violations(page, axe, care_mode, mode):
    """axe-core finds no WCAG 2.1 A/AA violation on the home page, in normal and care mode."""
    if mode == "care":
        care_mode()
    else:
        page.goto("/")
    axe(page)
