"""Search in a real browser: the header box, highlighted results, the type filter, axe."""

import pytest

from home.models import StandardPage


@pytest.fixture
def pages(home_page, search_index):
    """Two standard pages, published and indexed on commit as in production."""
    for slug, title, introduction in [
        ("test", "核酸检测安排", "本周六在社区服务中心开展核酸检测，请携带身份证。"),
        ("grid", "网格员联系电话", "第一网格网格员王红，工作电话010-6543 2101。"),
    ]:
        page = StandardPage(title=title, slug=slug, introduction=introduction)
        home_page.add_child(instance=page)
        page.save_revision().publish()


def test_search_from_the_header_box(page, pages):
    """Typing in the header box and pressing Enter shows results with the words marked."""
    page.goto("/")
    box = page.get_by_role("searchbox", name="搜索本站")
    box.fill("核酸")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.locator("h1").inner_text() == "搜索“核酸”"
    assert page.get_by_role("status").inner_text() == "“核酸”共找到 1 条结果"
    result = page.locator(".search-result").first
    assert result.locator("h2").inner_text() == "核酸检测安排"
    assert result.locator(".search-result__type").inner_text() == "普通页面"
    assert result.locator(".search-result__snippet mark").first.inner_text() == "核酸"


def test_filter_by_type_with_the_keyboard(page, pages):
    """The type filter is a list of links; choosing one narrows the results and marks it."""
    page.goto("/search/?q=网格")
    assert page.locator(".search-result").count() == 2
    link = page.get_by_role("navigation", name="按内容类型筛选").get_by_role(
        "link", name="普通页面"
    )
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**type=home.standardpage*")
    assert page.locator(".search-result h2").all_inner_texts() == ["网格员联系电话"]
    current = page.locator('.search-types a[aria-current="page"]')
    assert current.inner_text().startswith("普通页面")


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_results_page_has_no_wcag_violations(page, axe, care_mode, pages, mode):
    """axe finds no WCAG 2.1 A/AA violation on a results page, in normal and care mode."""
    if mode == "care":
        care_mode()
    page.goto("/search/?q=网格")
    assert page.locator(".search-result mark").count() > 0
    axe(page)


@pytest.mark.parametrize("mode", ["normal", "care"])
def test_empty_results_page_has_no_wcag_violations(page, axe, care_mode, pages, mode):
    """The no-result page with its next steps passes axe, in normal and care mode."""
    if mode == "care":
        care_mode()
    page.goto("/search/?q=火星移民")
    assert page.get_by_role("link", name="查找我所在的网格和网格员").is_visible()
    axe(page)
