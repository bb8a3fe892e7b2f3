"""New pages get their title's pinyin as slug instead of Chinese characters (portal/slugs.py)."""

import pytest
from django.urls import reverse

from home.models import StandardPage
from portal.slugs import pinyin_slug

pytestmark = pytest.mark.django_db


def test_pinyin_slug_is_short_ascii():
    assert pinyin_slug("关于冬季供暖报修的通知") == "guan-yu-dong-ji-gong-nuan-bao-xiu-de-tong-zhi"
    assert pinyin_slug("2026年第一季度低保公示") == "2026-nian-di-yi-ji-du-di-bao-gong-shi"
    long = pinyin_slug("流感高发期健康提示：本周社区卫生服务站延长接种时间")
    assert long.isascii() and len(long) <= 60 and not long.endswith("-")


def test_new_page_without_a_slug_gets_pinyin(home_page):
    page = home_page.add_child(instance=StandardPage(title="社区活动安排"))
    assert page.slug == "she-qu-huo-dong-an-pai"
    assert page.url == "/she-qu-huo-dong-an-pai/"


def test_new_page_with_the_chinese_slug_made_from_its_title_gets_pinyin(home_page):
    """What the admin proposes from a Chinese title (the title itself) is replaced."""
    page = home_page.add_child(instance=StandardPage(title="社区活动安排", slug="社区活动安排"))
    assert page.slug == "she-qu-huo-dong-an-pai"


def test_pinyin_slug_is_unique_among_siblings(home_page):
    home_page.add_child(instance=StandardPage(title="办事指南"))
    second = home_page.add_child(instance=StandardPage(title="办事指南"))
    assert second.slug == "ban-shi-zhi-nan-2"


def test_a_slug_the_editor_chose_is_kept(home_page):
    typed = home_page.add_child(instance=StandardPage(title="社区活动安排", slug="活动"))
    ascii_slug = home_page.add_child(instance=StandardPage(title="社区活动", slug="events"))
    assert (typed.slug, ascii_slug.slug) == ("活动", "events")


def test_existing_pages_keep_their_slugs(home_page):
    page = home_page.add_child(instance=StandardPage(title="旧页面", slug="events"))
    page.slug = "旧页面"
    page.save()
    page.refresh_from_db()
    assert page.slug == "旧页面"


def test_admin_create_view_gives_pinyin(client, home_page, administrator):
    """Through the editor's own form, the slug Wagtail fills in from the title becomes pinyin."""
    client.force_login(administrator)
    url = reverse("wagtailadmin_pages:add", args=("home", "standardpage", home_page.pk))
    response = client.post(
        url,
        {
            "title": "冬季安全提示",
            "slug": "冬季安全提示",
            "introduction": "",
            "body-count": "0",
            "comment_notifications": "",
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = StandardPage.objects.get(title="冬季安全提示")
    assert page.slug == "dong-ji-an-quan-ti-shi"
    assert page.get_latest_revision().content["slug"] == "dong-ji-an-quan-ti-shi"
