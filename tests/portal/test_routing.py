"""Remembered routing (portal.routing): fewer queries per page, and never a stale answer."""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from wagtail.models import Page, PageViewRestriction

from feedback.factories import FeedbackFormPageFactory
from home.factories import StandardPageFactory
from portal import routing, versions
from portal.models import DataVersion, SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def about(home_page):
    page = StandardPageFactory(parent=home_page, title="关于社区", slug="about")
    page.save_revision().publish()
    return page


def _page_queries(queries):
    """The queries that read pages or sites (routing's work)."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if "wagtailcore_page" in q["sql"] or "wagtailcore_site" in q["sql"]
    ]


def test_a_second_visit_reads_no_page_or_site(client, site, about):
    """The first visit walks the tree; the next one reads neither pages nor sites."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SiteSettings.for_site(site)  # created once, on a site's first visit (which raises the version)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/about/").status_code == 200
    assert _page_queries(first)
    with CaptureQueriesContext(connection) as second:
        response = client.get("/about/")
    assert response.status_code == 200 and "关于社区" in response.content.decode()
    assert _page_queries(second) == []


def test_unpublishing_answers_404_at_once(client, about):
    client.get("/about/")
    about.unpublish()
    assert client.get("/about/").status_code == 404


def test_a_published_change_shows_at_once(client, about):
    client.get("/about/")
    about.title = "社区简介"
    about.save_revision().publish()
    assert "社区简介" in client.get("/about/").content.decode()


def test_a_new_slug_moves_the_page(client, about):
    """After a slug change the old address is gone and the new one serves the page."""
    client.get("/about/")
    about.slug = "intro"
    about.save_revision().publish()
    assert client.get("/about/").status_code == 404
    assert client.get("/intro/").status_code == 200


def test_a_change_by_another_process_is_seen(client, about):
    """Another process unpublishes the page (straight in the database) and raises the version:
    this process answers 404 at its next request."""
    client.get("/about/")
    Page.objects.filter(pk=about.pk).update(live=False)
    DataVersion.objects.filter(name="pages").update(version=versions.current("pages") + 1)
    assert client.get("/about/").status_code == 404


def test_a_new_view_restriction_applies_at_once(client, about):
    """Restrictions are remembered with the route, and a new one is obeyed at the next visit."""
    assert client.get("/about/").status_code == 200
    restriction = PageViewRestriction.objects.create(
        page=about, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.create(name="内部资料组"))
    response = client.get("/about/")
    assert response.status_code == 302 and "login" in response["Location"]
    restriction.delete()
    assert client.get("/about/").status_code == 200


def test_a_routable_page_serves_its_sub_paths_from_memory(client, home_page):
    """The walk to a routable page is remembered; its own sub-path routing still runs."""
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    assert client.get("/feedback/").status_code == 200
    # Without the confirmation cookie the confirmation sub-page sends the visitor to the form.
    response = client.get("/feedback/thanks/")
    assert response.status_code == 302 and response["Location"] == "/feedback/"
    assert client.get("/feedback/no-such-thing/").status_code == 404


def test_each_request_gets_its_own_copy_of_the_page(about):
    """Nothing one request sets on the page reaches the next."""
    first_request = RequestFactory().get("/about/")
    first = routing.route_for_request(first_request, "/about/")[0]
    first.title = "改动只属于这一次请求"
    second = routing.route_for_request(RequestFactory().get("/about/"), "/about/")[0]
    third = routing.route_for_request(RequestFactory().get("/about/"), "/about/")[0]
    assert second is not third
    assert second.title == third.title == "关于社区"


def test_site_settings_change_shows_in_the_footer_at_once(client, site):
    settings = SiteSettings.for_site(site)
    client.get("/")
    settings.sponsor = "明华街道办事处"
    settings.save()
    assert "明华街道办事处" in client.get("/").content.decode()


def test_menu_in_the_cached_header_follows_publishing(client, home_page, about):
    """The header is cached, but a page newly shown in menus appears at the next visit."""
    assert 'href="/services/"' not in client.get("/about/").content.decode()
    services = StandardPageFactory(parent=home_page, title="办事指南", slug="services")
    services.show_in_menus = True
    services.save_revision().publish()
    assert 'href="/services/"' in client.get("/about/").content.decode()


def test_the_header_follows_signing_in(client, about, django_user_model):
    """The cached header differs for signed-in visitors (a sign-out link, not sign-in)."""
    assert "/accounts/login/" in client.get("/about/").content.decode()
    user = django_user_model.objects.create_user("resident1", "r1@example.org", "pw-long-enough")
    client.force_login(user)
    html = client.get("/about/").content.decode()
    assert "/accounts/logout/" in html


def test_a_page_reached_below_a_remembered_one_is_remembered_too(client, site, about):
    """With the home page remembered, the first visit to a page below it walks from there and
    remembers that page too: the next visit reads no page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    SiteSettings.for_site(site)  # created once, on a site's first visit (which raises the version)
    assert client.get("/").status_code == 200
    assert client.get("/about/").status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get("/about/").status_code == 200
    assert _page_queries(again) == []


def test_made_up_paths_add_nothing_to_the_cache(client, home_page, about, request):
    """Sub-paths and paths that lead nowhere (a scanner's, a typo) leave the cache as it was:
    pages are remembered under their own paths, and the not-found page's header is not cached."""
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    for path in ("/", "/about/", "/feedback/", "/feedback/thanks/", "/no-such-page/"):
        client.get(path)
    written = request.getfixturevalue("cache_writes")
    for n in range(5):
        assert client.get(f"/feedback/made-up-{n}/").status_code == 404
        assert client.get(f"/about/made-up-{n}/").status_code == 404
        assert client.get(f"/made-up-{n}/deeper/").status_code == 404
        assert client.get("/feedback/thanks/").status_code == 302
    assert written == []
