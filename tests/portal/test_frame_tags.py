"""Template tags of the page frame: tel: links, <time datetime>, the language mark of editors'
content, share tags' fallbacks, and the one-line urgent banner."""

import datetime as dt
import zoneinfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from notices.enums import Urgency
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from portal.models import SiteSettings
from portal.templatetags.portal_tags import content_lang, html_datetime, tel_links


def test_tel_links_makes_each_number_a_link_that_does_not_wrap():
    html = tel_links("报警 110　火警 119　急救 120，服务中心 010-6543 2100")
    assert '<a class="tel" href="tel:110">110</a>' in html
    assert '<a class="tel" href="tel:119">119</a>' in html
    assert '<a class="tel" href="tel:120">120</a>' in html
    assert '<a class="tel" href="tel:01065432100">010-6543 2100</a>' in html


def test_tel_links_escapes_the_rest():
    link = '<a class="tel" href="tel:12345">12345</a>'
    assert tel_links("<b>12345</b>") == f"&lt;b&gt;{link}&lt;/b&gt;"


def test_html_datetime_has_no_microseconds():
    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    value = dt.datetime(2026, 11, 30, 9, 5, 7, 123456, tzinfo=shanghai)
    assert html_datetime(value) == "2026-11-30T09:05:07+08:00"
    assert html_datetime(dt.date(2026, 11, 30)) == "2026-11-30"
    assert html_datetime(None) == ""


def test_content_lang_marks_chinese_only_in_another_language():
    with translation.override("zh-hans"):
        assert content_lang() == ""
    with translation.override("en"):
        assert content_lang() == ' lang="zh-Hans"'


@pytest.mark.django_db
def test_share_description_falls_back_to_the_site_description(site):
    settings = SiteSettings.for_site(site)
    settings.description = "查网格员、看通知、反映问题。"
    settings.save()
    request = RequestFactory().get("/grids/lookup/")
    html = Template("{% load portal_tags %}{% share_meta %}").render(Context({"request": request}))
    assert '<meta name="description" content="查网格员、看通知、反映问题。">' in html
    assert '<meta property="og:url" content="http://testserver/grids/lookup/">' in html


@pytest.mark.django_db
def test_urgent_banner_is_one_line_to_the_newest_notice(client, home_page):
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    NoticePageFactory(parent=index, title="停水通知", slug="water", urgency=Urgency.URGENT)
    NoticePageFactory(parent=index, title="停电通知", slug="power", urgency=Urgency.URGENT)
    html = client.get("/").content.decode()
    banner = html[html.index('<aside class="urgent-banner"') : html.index("</aside>")]
    assert banner.count('class="urgent-banner__link"') == 1
    assert 'href="/notices/' in banner
    assert '<a class="urgent-banner__more" href="/notices/">另有 1 条</a>' in banner
