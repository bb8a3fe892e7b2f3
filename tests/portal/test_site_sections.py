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


def test_the_home_pages_tasks_link_to_the_form_and_the_notices(client, home_page, settings):
    """The home page's task links come from the sections: the form and the notice index are
    linked; a form page behind a restriction is not."""
    from wagtail.models import PageViewRestriction

    from feedback.factories import FeedbackFormPageFactory

    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    form = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=form)
    form.save_revision().publish()
    NoticeIndexPageFactory(parent=home_page, slug="notices")
    html = client.get("/").content.decode()
    assert 'class="task task--report" href="/feedback/"' in html
    assert 'class="task" href="/notices/"' in html
    PageViewRestriction.objects.create(page=form, restriction_type="login")
    html = client.get("/").content.decode()
    assert 'href="/feedback/"' not in html.split('class="tasks', 1)[-1].split("</ul>", 1)[0]
