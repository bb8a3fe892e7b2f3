"""The site search page: results of every page type, type filter, snippets, next steps."""

import re

import pytest
from wagtail.models import PageViewRestriction

from home.models import StandardPage
from portal.models import SiteSettings
from portal.search.backend.store import drop_searchers
from tests.conftest import search_backends

pytestmark = pytest.mark.django_db


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


@pytest.fixture
def add(home_page, search_index, publish):
    """Publish a standard page under the home page and index it."""

    def make(slug, title, introduction="", parent=None, live=True):
        def create():
            page = StandardPage(title=title, slug=slug, introduction=introduction, live=live)
            (parent or home_page).add_child(instance=page)
            revision = page.save_revision()
            if live:
                revision.publish()
            return page

        return publish(create)

    return make


def results_html(client, query):
    response = client.get("/search/", {"q": query} if isinstance(query, str) else query)
    assert response.status_code == 200
    return response.content.decode()


def result_titles(html):
    return [
        re.sub(r"<[^>]+>", "", title)
        for title in re.findall(r'class="search-result__title"><a [^>]*>(.*?)</a>', html)
    ]


@search_backends
def test_finds_sub_words_with_type_date_and_marked_snippet(client, add):
    """A hit shows its title, type, date and a snippet with the query word marked."""
    add("test", "核酸检测安排", "本周六在社区服务中心开展核酸检测。")
    html = results_html(client, "核酸")
    assert result_titles(html) == ["核酸检测安排"]
    assert "“核酸”共找到 1 条结果" in html
    assert '<span class="search-result__type">普通页面</span>' in html
    assert re.search(r'<time datetime="[^"]+">\d{4}-\d{2}-\d{2}</time>', html)
    assert "开展<mark>核酸</mark>检测" in html
    assert "<mark>核酸</mark>检测安排" in html


@search_backends
def test_type_filter_lists_page_types_with_counts(client, add):
    """The filter names each page type by its verbose name with its hits, and narrows to one."""
    add("guide", "网格办事指南", "网格员上门服务")
    html = results_html(client, "网格")
    assert "普通页面 <span" in html and "首页 <span" in html
    assert '全部 <span class="search-types__count">(2)</span>' in html
    narrowed = results_html(client, {"q": "网格", "type": "home.standardpage"})
    assert result_titles(narrowed) == ["网格办事指南"]
    assert re.search(r'aria-current="page">普通页面', narrowed)


@search_backends
def test_unknown_type_is_explained(client, add):
    """A made-up type shows a message and every type's results, never an error."""
    add("guide", "网格办事指南")
    html = results_html(client, {"q": "办事", "type": "feedback.secret"})
    assert "没有这种内容类型" in html
    assert result_titles(html) == ["网格办事指南"]


@search_backends
def test_pagination_keeps_query_and_type(client, add):
    """Fifteen hits make two pages; the links keep the query and the filter."""
    for number in range(15):
        add(f"n{number}", f"社区通知{number}号", "社区通知")
    first = results_html(client, {"q": "通知", "type": "home.standardpage"})
    assert len(result_titles(first)) == 10
    assert "第 1 页，共 2 页" in first
    assert "q=%E9%80%9A%E7%9F%A5&amp;type=home.standardpage&amp;page=2" in first
    second = results_html(client, {"q": "通知", "type": "home.standardpage", "page": "2"})
    assert len(result_titles(second)) == 5
    assert '<ol class="search-results" start="11">' in second
    assert len(result_titles(results_html(client, {"q": "通知", "page": "abc"}))) == 10
    assert len(result_titles(results_html(client, {"q": "通知", "page": "99"}))) == 5


def test_empty_query_shows_next_steps(client, site, search_index):
    """Without a query the page offers the grid lookup and the service centre's phone."""
    SiteSettings.objects.update_or_create(site=site, defaults={"phone": "010-6543 2100"})
    html = results_html(client, "")
    assert 'href="/grids/lookup/"' in html
    assert 'href="tel:01065432100">010-6543 2100</a>' in html
    assert "search-result" not in html


@search_backends
def test_no_result_shows_next_steps(client, site, add):
    """A query that finds nothing says so and offers the next steps."""
    SiteSettings.objects.update_or_create(site=site, defaults={"phone": "010-6543 2100"})
    html = results_html(client, "火星移民")
    assert "“火星移民”共找到 0 条结果" in html
    assert "没有找到相关内容" in html
    assert 'href="/grids/lookup/"' in html
    assert "010-6543 2100" in html


@search_backends
def test_falls_back_to_any_word(client, add):
    """When no page has every word, pages with some of them are shown with a note."""
    add("test", "核酸检测安排")
    add("fire", "冬季防火通知")
    html = results_html(client, "核酸 烟花")
    assert result_titles(html) == ["核酸检测安排"]
    assert "下面是包含其中部分词的结果" in html


@search_backends
def test_unpublished_pages_never_appear(client, add, publish):
    """Drafts and unpublished pages are not found."""
    add("draft", "核酸采样草稿", live=False)
    page = add("old", "核酸旧安排")
    assert result_titles(results_html(client, "核酸")) == ["核酸旧安排"]
    publish(page.unpublish)
    assert result_titles(results_html(client, "核酸")) == []


@search_backends
def test_private_pages_never_appear(client, add):
    """A page under a view restriction, and its children, are not found."""
    section = add("staff", "内部工作区", "网格员排班")
    add("rota", "网格员排班表", parent=section)
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    assert result_titles(results_html(client, "排班")) == []


@search_backends
def test_search_visible_hook_hides_pages(client, add, monkeypatch):
    """A page model's search_visible() keeps pages out of results and counts."""
    add("current", "低保公示（公示中）")
    add("ended", "低保公示（已结束）")
    monkeypatch.setattr(
        StandardPage,
        "search_visible",
        classmethod(lambda cls, queryset: queryset.exclude(title__contains="已结束")),
        raising=False,
    )
    html = results_html(client, "低保")
    assert result_titles(html) == ["低保公示（公示中）"]
    assert "共找到 1 条结果" in html


def test_unreadable_index_shows_a_message_not_an_error(client, add, settings, tmp_path):
    """A missing or corrupt index gives a clear message and the next steps, never a 500."""
    add("test", "核酸检测安排")
    settings.PORTAL_SEARCH_INDEX_DIR = str(tmp_path / "missing")
    drop_searchers()
    html = results_html(client, "核酸")
    assert "站内搜索暂时不可用" in html
    assert 'href="/grids/lookup/"' in html


def test_corrupt_index_shows_a_message(client, add, search_index):
    """Damaged segments: the page still answers with a message."""
    add("test", "核酸检测安排")
    drop_searchers()
    for segment in search_index.get_store().path.glob("*.seg"):
        segment.write_bytes(b"broken")
    assert "站内搜索暂时不可用" in results_html(client, "核酸")


@search_backends
def test_long_query_is_shortened_with_a_message(client, add):
    """A very long query is cut to 100 characters and the page says so."""
    add("test", "核酸检测安排")
    html = results_html(client, "核酸" * 80)
    assert "搜索词过长" in html


@search_backends
def test_query_is_escaped(client, add):
    """Markup typed into the search box is shown as text."""
    html = results_html(client, "<script>alert(1)</script>")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@search_backends
def test_header_box_keeps_the_query(client, add):
    """The header search box shows the query that produced the page."""
    add("test", "核酸检测安排")
    html = results_html(client, "核酸")
    assert 'name="q" value="核酸"' in html


@search_backends
def test_english_interface(client, add, settings):
    """With English chosen, the page and its next steps are in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = results_html(client, "火星移民")
    assert "Nothing was found. Try a shorter word, or:" in html
    assert "Find my grid and grid worker" in html


@search_backends
def test_only_pages_of_this_site(client, add, search_index):
    """Wagtail's bare root page (outside every site) is never a result."""
    html = results_html(client, "root")
    assert result_titles(html) == []


def test_grid_lookup_link_follows_its_url_name(client, search_index, settings):
    """The next-steps link to the grid lookup comes from its URL name, wherever it is mounted."""
    settings.ROOT_URLCONF = "tests.home.moved_grids_urls"
    html = results_html(client, "")
    assert 'href="/elsewhere/grids/lookup/"' in html
