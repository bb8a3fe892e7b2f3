"""The grid page without the whole-page cache (issue 16): its cached fragments (the content
above the statistics, the statistics block) are renewed by every change they show, and its
first visit takes at most 15 queries."""

import datetime
import io

import pytest
import time_machine
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from feedback.enums import CaseState
from feedback.factories import FeedbackFactory
from feedback.models import Feedback, Rating
from feedback.templatetags.feedback_tags import STATISTICS_CACHE_SECONDS
from grids.factories import LeavePeriodFactory
from grids.models import GridWorker
from notices.enums import Urgency
from notices.factories import NoticeIndexPageFactory, NoticePageFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Every request renders the page: only its fragments are kept."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return response.content.decode()


def received_figure(html):
    """The number after "近6个月受理" in the statistics block."""
    after = html.split("近6个月受理</dt><dd>", 1)[1]
    return int(after.split("<", 1)[0])


def test_a_grid_pages_first_visit_takes_at_most_15_queries(
    client, grid, workers, home_page, django_assert_max_num_queries
):
    """A grid page's first visit, after the home page, takes at most 15 queries."""
    # Nothing of the grid is kept yet (content, map, areas, worker cards, notices, statistics);
    # the home page has built what every page shows (menu, banner, site settings).
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    NoticePageFactory(parent=index, title="停水通知")
    FeedbackFactory(grid=grid)
    cache.clear()
    client.get("/")
    with django_assert_max_num_queries(15):
        response = client.get(grid.url)
    html = response.content.decode()
    assert "停水通知" in html
    assert received_figure(html) == 1


def _photo(title):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (480, 600), "#4a7").save(buffer, "PNG")
    image = get_image_model()(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), "p.png"))
    image.save()
    return image


def test_a_grid_page_with_every_cache_empty_takes_at_most_15_queries(
    client, grid, workers, home_page, django_assert_max_num_queries
):
    """With nothing kept at all (the site's menu, banner and settings too), a grid page whose
    workers have photos, whose primary is on leave and whose cases were rated takes at most 15
    queries, and shows all of it: the leave, the backup on duty, both photos, the notices and
    the rating."""
    for worker in workers:
        worker.photo = _photo(worker.name)
        worker.save()
        worker.photo.get_rendition(GridWorker.CARD_PHOTO_SPEC)  # made once, when first shown
    LeavePeriodFactory(worker=workers[0], starts_on=TODAY, ends_on=TODAY + datetime.timedelta(2))
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    NoticePageFactory(parent=index, title="停水通知")
    NoticePageFactory(parent=index, title="紧急停电", urgency=Urgency.URGENT)
    case = FeedbackFactory(grid=grid)
    Feedback.objects.filter(pk=case.pk).update(
        state=CaseState.RATED, closed_at=NOW - datetime.timedelta(days=1)
    )
    Rating.objects.create(case=case, level=5, created_at=NOW - datetime.timedelta(hours=20))
    client.get("/")  # the site settings exist, as on any site that has served a page
    cache.clear()
    with django_assert_max_num_queries(15):
        response = client.get(grid.url)
    html = response.content.decode()
    assert "正在休假" in html and "李强" in html
    assert html.count('class="worker__photo"') == 2
    assert "停水通知" in html and "紧急停电" in html
    assert f'href="{index.url}?grid={grid.code}"' in html
    assert "近6个月受理</dt><dd>1<" in html
    assert "非常满意" in html


def test_a_published_change_to_the_grid_shows_at_once(client, grid):
    """A new title and household count published on the grid show on the next request."""
    html_of(client, grid)
    grid.title = "第一网格（新）"
    grid.households = 4321
    grid.save_revision().publish()
    html = html_of(client, grid)
    assert "第一网格（新）</h1>" in html
    assert "<dd>4321</dd>" in html


def test_a_new_leave_shows_at_once(client, grid, workers):
    """A leave period entered for the primary today moves the backup first on the next request."""
    assert "正在休假" not in html_of(client, grid)
    LeavePeriodFactory(worker=workers[0], starts_on=TODAY, ends_on=TODAY + datetime.timedelta(2))
    html = html_of(client, grid)
    assert "网格员张敏正在休假" in html
    assert html.index('href="tel:13800000002"') < html.index('href="tel:13800000001"')


def test_a_new_notice_shows_at_once(client, grid, home_page):
    """A notice published after the page was rendered is listed on the next request."""
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    assert "停电通知" not in html_of(client, grid)
    notice = NoticePageFactory(parent=index, title="停电通知", live=False)
    notice.save_revision().publish()
    assert "停电通知" in html_of(client, grid)


def test_the_day_changes_who_is_on_duty(client, grid, workers, _today):
    """A leave starting tomorrow shows tomorrow, though nothing was saved in between."""
    LeavePeriodFactory(
        worker=workers[0],
        starts_on=TODAY + datetime.timedelta(1),
        ends_on=TODAY + datetime.timedelta(3),
    )
    assert "正在休假" not in html_of(client, grid)
    _today.shift(datetime.timedelta(days=1))
    assert "网格员张敏正在休假" in html_of(client, grid)


def test_an_english_visitor_gets_english_content_after_a_chinese_one(client, grid):
    """After a Chinese visit, an English visitor reads the content's headings in English."""
    assert "您的网格员" in html_of(client, grid)
    client.cookies["portal_language"] = "en"
    english = html_of(client, grid)
    assert "Your grid worker" in english
    assert "您的网格员" not in english


def test_a_care_mode_visitor_gets_the_call_button_first_after_a_plain_visit(client, grid):
    """After a plain visit, a care-mode visitor sees the call button before the breadcrumb."""
    plain = html_of(client, grid)
    assert plain.index('class="breadcrumb"') < plain.index('href="tel:13800000001"')
    client.cookies["care_mode"] = "1"
    care = html_of(client, grid)
    assert care.index('href="tel:13800000001"') < care.index('class="breadcrumb"')


def test_statistics_show_a_new_case_once_their_minutes_are_up(client, grid, _today, settings):
    """The statistics block counts a new case once its five cached minutes have passed."""
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        pytest.skip("Redis expires keys by its own clock, which the test cannot move")
    FeedbackFactory(grid=grid)
    assert received_figure(html_of(client, grid)) == 1
    FeedbackFactory(grid=grid)
    _today.shift(datetime.timedelta(seconds=STATISTICS_CACHE_SECONDS + 1))
    assert received_figure(html_of(client, grid)) == 2


def test_statistics_show_a_new_case_the_next_day(client, grid, _today):
    """However the cache expires, the next day's statistics count a case sent today."""
    FeedbackFactory(grid=grid)
    assert received_figure(html_of(client, grid)) == 1
    FeedbackFactory(grid=grid)
    _today.shift(datetime.timedelta(days=1))
    assert received_figure(html_of(client, grid)) == 2


def test_statistics_are_kept_per_language(client, grid):
    """After a Chinese visit, an English visitor's statistics block is in English."""
    FeedbackFactory(grid=grid)
    assert "本网格诉求办理情况" in html_of(client, grid)
    client.cookies["portal_language"] = "en"
    assert "本网格诉求办理情况" not in html_of(client, grid)


def test_a_preview_shows_the_draft_not_the_kept_content(client, grid):
    """Previewing a draft title shows the draft, though the live page's content is kept."""
    html_of(client, grid)
    draft = grid.get_latest_revision_as_object()
    draft.title = "草稿中的网格名"
    response = draft.make_preview_request()
    assert "草稿中的网格名" in response.content.decode()


def test_a_restriction_on_an_area_covers_its_grids_at_once(client, grid, community):
    """A grid visited before asks for sign-in once its area is restricted to signed-in users."""
    html_of(client, grid)
    PageViewRestriction.objects.create(page=community, restriction_type="login")
    response = client.get(grid.url)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_unpublished_grid_is_gone_at_once(client, grid):
    """A grid unpublished after a visit answers 404 on the next request."""
    html_of(client, grid)
    grid.unpublish()
    assert client.get(grid.url_path.replace("/home", "", 1)).status_code == 404


def test_a_published_title_shows_in_the_share_tags_at_once(client, grid):
    """A grid's new title is what a shared link shows on the next request."""
    html_of(client, grid)
    grid.title = "第一网格（改名）"
    grid.save_revision().publish()
    assert '<meta property="og:title" content="第一网格（改名）">' in html_of(client, grid)


def test_a_new_urgent_notice_shows_in_the_banner_at_once(client, grid, home_page):
    """An urgent notice published after a visit is in the banner of the next request."""
    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    assert "urgent-banner" not in html_of(client, grid)
    notice = NoticePageFactory(parent=index, title="紧急停水", urgency=Urgency.URGENT, live=False)
    notice.save_revision().publish()
    html = html_of(client, grid)
    assert 'class="urgent-banner__title">紧急停水</span>' in html
