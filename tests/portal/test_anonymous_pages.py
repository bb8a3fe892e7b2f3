"""Whole pages for anonymous visitors (portal.anonymous_pages): kept under the data versions,
per language and care mode, never for a signed-in visitor, a query string or a waiting message;
forms get each visitor's own CSRF token; conditional GETs answer 304."""

import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from wagtail.models import PageViewRestriction

from feedback.factories import FeedbackFormPageFactory, ServiceCentreFactory
from portal import anonymous_pages
from portal.anonymous_pages import CSRF_PLACEHOLDER

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _kept_pages(writes):
    return [key for key in writes if str(key).startswith("portal:page:")]


@pytest.fixture(autouse=True)
def _site_settings(site):
    """The site's settings exist (made on first use, which raises the pages version)."""
    from portal.models import SiteSettings

    SiteSettings.for_site(site)


def test_a_page_is_rendered_once_for_anonymous_visitors(
    client, grid, cache_writes, django_assert_num_queries
):
    first = client.get(grid.url)
    assert first.status_code == 200
    assert len(_kept_pages(cache_writes)) == 1
    # The next visitor's page costs one query: the data versions.
    with django_assert_num_queries(1):
        second = Client().get(grid.url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Cache-Control"] == "max-age=60"
    assert second["X-Accel-Expires"] == "1"  # nginx in front keeps it a second
    assert second["ETag"] == first["ETag"]
    assert second.has_header("Last-Modified")
    assert "Cookie" in second["Vary"]


def test_publishing_serves_the_new_page_on_the_next_request(client, grid):
    assert "第一网格" in client.get(grid.url).content.decode()
    grid.title = "第一网格（已调整）"
    grid.save_revision().publish()
    assert "第一网格（已调整）" in client.get(grid.url).content.decode()


def test_a_change_to_data_the_page_shows_serves_the_new_page(client, grid, workers):
    """A grid worker renamed (the workers version, not the page's own) shows at once."""
    primary = grid.primary_worker
    assert primary.name in client.get(grid.url).content.decode()
    primary.name = "张新名"
    primary.save()
    assert "张新名" in client.get(grid.url).content.decode()


def test_signed_in_visitors_are_never_given_a_kept_page(client, grid, resident, cache_writes):
    anonymous = client.get(grid.url).content.decode()
    client.force_login(resident)
    signed_in = client.get(grid.url)
    assert signed_in.content.decode() != anonymous
    assert not signed_in.has_header("ETag")
    assert len(_kept_pages(cache_writes)) == 1


def test_language_and_care_mode_each_have_their_page(client, grid):
    plain = client.get(grid.url).content.decode()
    client.cookies["care_mode"] = "1"
    care = client.get(grid.url).content.decode()
    client.cookies["portal_language"] = "en"
    english_care = client.get(grid.url).content.decode()
    assert 'class="care"' not in plain and 'class="care"' in care
    assert 'lang="zh-Hans"' in care and 'lang="en"' in english_care


def test_a_query_string_is_never_kept(client, grid, cache_writes):
    assert client.get(grid.url + "?page=2").status_code == 200
    assert client.get(grid.url + "?utm=x").status_code == 200
    assert _kept_pages(cache_writes) == []


def test_conditional_get_answers_304(client, grid):
    first = client.get(grid.url)
    again = client.get(grid.url, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""
    since = client.get(grid.url, headers={"if-modified-since": first["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(grid.url, headers={"if-none-match": '"other"'}).status_code == 200


def test_a_waiting_message_is_shown_and_not_kept(grid, cache_writes):
    """A message for one visitor (after signing out, say) is shown to them only."""
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(constants.INFO, "您已退出登录。")
    response = HttpResponse()
    storage.update(response)
    client = Client()
    client.cookies["messages"] = response.cookies["messages"].value
    assert "您已退出登录。" in client.get(grid.url).content.decode()
    assert _kept_pages(cache_writes) == []
    assert "您已退出登录。" not in Client().get(grid.url).content.decode()


def test_a_restricted_page_is_not_kept(client, grid, cache_writes):
    PageViewRestriction.objects.create(page=grid, restriction_type="login")
    assert client.get(grid.url).status_code == 302
    assert _kept_pages(cache_writes) == []


@pytest.fixture
def form_page(home_page, community):
    ServiceCentreFactory(community=community, inbox_email="centre@example.org", is_default=True)
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_each_visitor_gets_their_own_csrf_token_on_a_kept_form(form_page, grid, cache_writes):
    """The form page is kept without any token; each visitor's token passes the CSRF check."""
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for browser in (first, second):
        response = browser.get(form_page.url)
        assert response.status_code == 200
        tokens.append(TOKEN_RE.search(response.content.decode()).group(1))
        assert "csrftoken" in browser.cookies
        assert response["Cache-Control"] == "private, max-age=60"
        assert not response.has_header("X-Accel-Expires")
    assert tokens[0] != tokens[1]
    (key,) = _kept_pages(cache_writes)
    kept = cache.get(key)["content"]
    assert CSRF_PLACEHOLDER in kept
    assert not any(token.encode() in kept for token in tokens)
    # Each token belongs to its own visitor: the second one's token fails with the first's cookie.
    response = first.post(form_page.url, {"csrfmiddlewaretoken": tokens[1], "subject": ""})
    assert response.status_code == 403
    response = first.post(form_page.url, {"csrfmiddlewaretoken": tokens[0], "subject": ""})
    assert response.status_code == 400  # past the CSRF check, the form itself is refused


def test_tokens_are_taken_out_of_what_is_kept():
    content = (
        b'<form><input type="hidden" name="csrfmiddlewaretoken" value="abc123">'
        b'<input type="hidden" name="csrfmiddlewaretoken" value="def456"></form>'
        b'<meta name="x" content="abc123">'
    )
    kept = anonymous_pages.without_csrf_tokens(content)
    assert b"abc123" not in kept and b"def456" not in kept
    assert kept.count(CSRF_PLACEHOLDER) == 3


def test_the_cache_can_be_turned_off(client, grid, settings, cache_writes):
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    assert client.get(grid.url).status_code == 200
    assert _kept_pages(cache_writes) == []


def _early(request):
    """EarlyAnonymousPageMiddleware's answer to `request`, or "passed on" when it asks the rest
    of the stack."""
    from portal import versions

    middleware = anonymous_pages.EarlyAnonymousPageMiddleware(lambda request: "passed on")
    with versions.remembered():
        return middleware(request)


def test_a_visitor_without_a_session_is_served_before_the_rest_of_the_stack(client, grid):
    """The kept page comes with the headers the skipped middleware would have added."""
    kept = client.get(grid.url)
    response = _early(RequestFactory().get(grid.url))
    assert response != "passed on"
    assert response.content == kept.content
    assert response["ETag"] == kept["ETag"]
    assert response["Vary"] == "Cookie, Accept-Language"
    assert response["Content-Language"] == kept["Content-Language"]
    assert response["X-Frame-Options"] == "DENY"


def test_the_early_answer_keeps_language_and_care_mode(client, grid):
    """An English care-mode visitor gets their own kept page early, not the Chinese plain one."""
    client.get(grid.url)
    client.cookies["care_mode"] = "1"
    client.cookies["portal_language"] = "en"
    english_care = client.get(grid.url)
    request = RequestFactory().get(grid.url)
    request.COOKIES.update(care_mode="1", portal_language="en")
    response = _early(request)
    assert response.content == english_care.content
    assert 'lang="en"' in response.content.decode() and 'class="care"' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_a_visitor_with_a_session_is_left_to_the_rest_of_the_stack(client, grid):
    """A session may be signed in or hold a message: the early middleware passes it on."""
    client.get(grid.url)
    with_session = RequestFactory().get(grid.url)
    with_session.COOKIES["sessionid"] = "x"
    assert _early(with_session) == "passed on"


def test_a_kept_form_is_served_early_with_the_visitors_own_token(form_page, monkeypatch):
    """A visitor without a CSRF cookie is given one early, and the page's token passes."""
    Client().get(form_page.url)

    def not_early(*args):
        pytest.fail("the kept form page was not served early")

    monkeypatch.setattr(anonymous_pages.AnonymousPageCacheMiddleware, "process_view", not_early)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(form_page.url)
    token = TOKEN_RE.search(page.content.decode()).group(1)
    assert "csrftoken" in browser.cookies
    assert page["Cache-Control"] == "private, max-age=60"
    monkeypatch.undo()
    same_browser = Client(enforce_csrf_checks=True)  # its middleware loaded without the patch
    same_browser.cookies = browser.cookies
    answer = same_browser.post(form_page.url, {"csrfmiddlewaretoken": token, "subject": ""})
    assert answer.status_code == 400  # past the CSRF check, the form itself is refused


def test_a_kept_form_page_is_looked_up_once(form_page, monkeypatch):
    """The early look-up that finds a form page is reused by the page cache, not repeated."""
    from tests.conftest import record_cache_writes

    Client().get(form_page.url)
    reads = record_cache_writes(monkeypatch, ["default"], ("get",))
    response = Client().get(form_page.url)
    assert response["Cache-Control"] == "private, max-age=60"
    assert len(_kept_pages(reads)) == 1
