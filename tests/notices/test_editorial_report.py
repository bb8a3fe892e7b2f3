"""The editorial-health report: stale, empty and ended-but-live content."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.editorial_report import editorial_health
from notices.factories import NoticeIndexPageFactory, NoticePageFactory
from notices.models import NoticePage

from .test_publicity import ended_batch, make_batch

pytestmark = pytest.mark.django_db


def problems_for(page):
    return [item.problem for item in editorial_health() if item.page.pk == page.pk]


def test_empty_indexes_are_reported(notice_index, publicity_index):
    """A notice index and a publicity index with nothing published are listed as empty."""
    assert any("还没有任何已发布的通知" in p for p in problems_for(notice_index))
    assert any("还没有任何已发布的公示" in p for p in problems_for(publicity_index))


def test_stale_notice_index_is_reported(notice_index):
    """An index whose newest notice went live 15 days ago is stale at the default 14 days."""
    notice = NoticePageFactory(parent=notice_index)
    old = timezone.now() - dt.timedelta(days=15)
    NoticePage.objects.filter(pk=notice.pk).update(first_published_at=old, last_published_at=old)
    assert any("14 天没有新通知" in p for p in problems_for(notice_index))


def test_guides_index_allows_six_months(home_page):
    """A guides index set to 180 days is not stale after 15 days."""
    guides = NoticeIndexPageFactory(parent=home_page, slug="guides", stale_after_days=180)
    notice = NoticePageFactory(parent=guides)
    old = timezone.now() - dt.timedelta(days=15)
    NoticePage.objects.filter(pk=notice.pk).update(first_published_at=old, last_published_at=old)
    assert problems_for(guides) == []


def test_fresh_index_is_not_reported(notice_index):
    """An index with a notice published today has no problem."""
    NoticePageFactory(parent=notice_index)
    assert problems_for(notice_index) == []


def test_stale_home_page_is_reported(home_page):
    """The home page is reported when nothing under it was published for 14 days."""
    from wagtail.models import Page

    old = timezone.now() - dt.timedelta(days=20)
    Page.objects.all().update(last_published_at=old)
    assert any("14 天没有新内容" in p for p in problems_for(home_page))


def test_ended_publicity_still_live_is_reported(publicity_index):
    """An ended batch that the worker has not unpublished yet is listed first."""
    make_batch(publicity_index)
    ended = ended_batch(publicity_index)
    report = editorial_health()
    assert report[0].page.pk == ended.pk
    assert "公示期已于" in report[0].problem


def test_report_in_the_admin(client, editor, notice_index):
    """Editors open the report from the admin and see the problems."""
    client.force_login(editor)
    response = client.get(reverse("notices_editorial_health"))
    assert response.status_code == 200
    assert "编辑健康报告" in response.content.decode()
    assert notice_index.title in response.content.decode()


def test_roles_have_the_permissions_they_need(editor, make_user):
    """Editors see categories; administrators manage them; the centre keeps the calendar."""
    from portal import roles

    admin = make_user("admin2", roles.ADMINISTRATORS)
    centre = make_user("centre2", roles.SERVICE_CENTRE_STAFF)
    assert editor.has_perm("notices.view_noticecategory")
    assert not editor.has_perm("notices.change_noticecategory")
    assert admin.has_perm("notices.change_approvalmatter")
    assert centre.has_perm("portal.change_calendarday")
