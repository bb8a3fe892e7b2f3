"""The sections under a site's root page (portal.page_tree.site_sections): the main menu and
the notice index's address come from one cached query, renewed by any change to the tree."""

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from notices.factories import NoticeIndexPageFactory
from notices.models import NoticeIndexPage
from portal.page_tree import section_url, site_sections

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(site):
    return RequestFactory().get("/", HTTP_HOST=site.hostname)


def test_menu_and_notice_index_come_from_one_query(request_, home_page, django_assert_num_queries):
    index = NoticeIndexPageFactory(parent=home_page, slug="notices", show_in_menus=False)
    cache.clear()
    site_sections(request_)  # the site itself, looked up once per request by Wagtail
    cache.clear()
    with django_assert_num_queries(2):  # the versions, then the sections
        sections = site_sections(request_)
    expected = index.url
    with django_assert_num_queries(1):  # the versions (read once per request in a request)
        assert section_url(request_, NoticeIndexPage) == expected
    assert [s.page_type for s in sections if s.title == index.title] == ["notices.noticeindexpage"]
    assert not any(s.in_menu for s in sections if s.title == index.title)


def test_a_renamed_index_is_found_at_its_new_address_at_once(request_, home_page):
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    assert section_url(request_, NoticeIndexPage) == "/notices/"
    index.slug = "tongzhi"
    index.save_revision().publish()
    fresh = RequestFactory().get("/", HTTP_HOST=request_.get_host())
    assert section_url(fresh, NoticeIndexPage) == "/tongzhi/"


def test_an_unpublished_or_private_index_is_no_section(request_, home_page):
    from wagtail.models import PageViewRestriction

    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    PageViewRestriction.objects.create(page=index, restriction_type="login")
    assert section_url(request_, NoticeIndexPage) is None
    PageViewRestriction.objects.all().delete()
    index.unpublish()
    assert section_url(RequestFactory().get("/"), NoticeIndexPage) is None


def test_no_site_no_sections():
    assert site_sections(None) == []
