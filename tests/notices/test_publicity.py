"""Approval publicity: masking on store and show, the period's end (410, gone everywhere)."""

import datetime as dt
import io
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from feedback.factories import FeedbackFormPageFactory
from notices.factories import ApprovalOutcomePageFactory
from notices.models import ApprovalOutcome, ApprovalOutcomePage
from portal.calendar import working_period_end

pytestmark = pytest.mark.django_db


def make_batch(parent, start=None, outcomes=(("张小三", "第一网格"),), **kwargs):
    """A published publicity batch with the given (applicant, grid) rows."""
    page = ApprovalOutcomePageFactory.build(publicity_start=start or timezone.localdate(), **kwargs)
    page.outcomes = [
        ApprovalOutcome(applicant=name, grid_name=grid, household_size=2, benefit="每月 1,380 元")
        for name, grid in outcomes
    ]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def ended_batch(parent, **kwargs):
    """A batch whose period ended yesterday or before (and that is still live)."""
    return make_batch(parent, start=timezone.localdate() - dt.timedelta(days=40), **kwargs)


def test_end_date_is_counted_in_working_days(publicity_index):
    """The end date is the seventh working day of the period, by the working calendar."""
    start = timezone.localdate()
    batch = make_batch(publicity_index, start=start)
    assert batch.publicity_end == working_period_end(start, 7)
    assert batch.publicity_end >= start + dt.timedelta(days=8)


def test_applicant_names_are_stored_masked(publicity_index):
    """Full names never reach the database: 张小三 is stored as 张*三."""
    batch = make_batch(publicity_index, outcomes=[("张小三", "第一网格"), ("李四", "第二网格")])
    stored = list(ApprovalOutcome.objects.filter(page=batch).values_list("applicant", flat=True))
    assert stored == ["张*三", "李*"]


def test_publicity_page_shows_masked_table_and_objection_link(client, home_page, publicity_index):
    """The page shows the masked names, the period and the objection link to the feedback form."""
    home_page.add_child(instance=FeedbackFormPageFactory.build(slug="feedback"))
    batch = make_batch(publicity_index, outcomes=[("王小明", "第一网格")])
    html = client.get(batch.url).content.decode()
    assert "王*明" in html
    assert "王小明" not in html
    assert "公示期" in html
    assert f"/feedback/?category=objection&amp;publicity={batch.pk}" in html


def test_unmasked_number_in_outcome_row_is_refused(publicity_index):
    """A mobile number in an outcome's note blocks the save, naming the row."""
    page = ApprovalOutcomePageFactory.build()
    page.outcomes = [ApprovalOutcome(applicant="张三", note="电话13812345678")]
    with pytest.raises(ValidationError) as refused:
        publicity_index.add_child(instance=page)
    assert "第1行" in str(refused.value)


def test_unmasked_id_in_introduction_is_refused(publicity_index):
    """An ID number in the batch's introduction is refused with the field named."""
    with pytest.raises(ValidationError) as refused:
        make_batch(publicity_index, introduction="申请人身份证350102199001011234")
    assert "introduction" in refused.value.message_dict


def test_running_publicity_is_listed_and_in_feed(client, publicity_index):
    """A running batch appears on the publicity index and in its feed."""
    batch = make_batch(publicity_index, title="2026年第4批最低生活保障新增对象公示")
    assert batch.title in client.get(publicity_index.url).content.decode()
    root = ET.fromstring(client.get(publicity_index.url + "feed/rss/").content)  # noqa: S314
    assert [item.findtext("title") for item in root.findall("./channel/item")] == [batch.title]


def test_ended_publicity_answers_410_without_the_scheduler(client, publicity_index):
    """After the end date the page answers 410 saying the publicity has ended, though still live."""
    batch = ended_batch(publicity_index, outcomes=[("赵六六", "第一网格")])
    assert ApprovalOutcomePage.objects.get(pk=batch.pk).live
    response = client.get(batch.url)
    html = response.content.decode()
    assert response.status_code == 410
    assert "公示已结束" in html
    assert "赵*六" not in html


def test_ended_publicity_is_gone_from_listing_feeds_sitemap_and_search(
    client, publicity_index, search_index, django_capture_on_commit_callbacks
):
    """An ended batch is in no listing, feed, sitemap or search result, before any unpublish."""
    with django_capture_on_commit_callbacks(execute=True):
        running = make_batch(publicity_index, title="2026 batch running 公示")
        ended = ended_batch(publicity_index, title="2026 batch ended 公示")
    listing = client.get(publicity_index.url).content.decode()
    assert running.title in listing and ended.title not in listing
    for feed in ("feed/rss/", "feed/atom/"):
        body = client.get(publicity_index.url + feed).content.decode()
        assert running.title in body and ended.title not in body
    sitemap = client.get("/sitemap.xml").content.decode()
    assert running.url in sitemap and ended.url not in sitemap
    results = client.get("/search/", {"q": "batch"}).content.decode()
    # Result titles carry <mark> around the query word, so look for the rest of each title.
    assert "running 公示" in results and "ended 公示" not in results


def test_end_publicity_command_unpublishes_ended_batches(publicity_index):
    """The worker's job unpublishes ended batches and leaves running ones live."""
    running = make_batch(publicity_index)
    ended = ended_batch(publicity_index)
    out = io.StringIO()
    call_command("end_publicity", stdout=out)
    assert not ApprovalOutcomePage.objects.get(pk=ended.pk).live
    assert ApprovalOutcomePage.objects.get(pk=running.pk).live
    assert "Ended 1" in out.getvalue()


def test_ended_publicity_still_answers_410_after_the_worker_unpublishes_it(client, publicity_index):
    """Once the worker has unpublished an ended batch its URL still answers 410, not 404."""
    batch = ended_batch(publicity_index, outcomes=[("赵六六", "第一网格")])
    url = batch.url
    call_command("end_publicity", stdout=io.StringIO())
    assert not ApprovalOutcomePage.objects.get(pk=batch.pk).live
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 410
    assert "公示已结束" in html and batch.title in html
    assert "赵*六" not in html


def test_unpublished_ended_batch_shows_its_published_title_not_a_later_draft(
    client, publicity_index
):
    """The 410 notice names the batch as it was published, not a draft saved after it ended."""
    batch = ended_batch(publicity_index)
    url = batch.url
    call_command("end_publicity", stdout=io.StringIO())
    page = ApprovalOutcomePage.objects.get(pk=batch.pk)
    page.title = "草稿里改过的标题"
    page.save()
    page.save_revision()
    html = client.get(url).content.decode()
    assert batch.title in html and "草稿里改过的标题" not in html


def test_publicity_never_published_is_not_found(client, publicity_index):
    """A draft batch whose dates have passed was never public: its URL answers 404."""
    page = ApprovalOutcomePageFactory.build(
        publicity_start=timezone.localdate() - dt.timedelta(days=40), live=False
    )
    publicity_index.add_child(instance=page)
    page.save_revision()
    assert client.get(publicity_index.url + page.slug + "/").status_code == 404


def test_running_publicity_unpublished_is_not_found(client, publicity_index):
    """A running batch taken down (by a superuser) answers 404, not "ended"."""
    batch = make_batch(publicity_index)
    url = batch.url
    ApprovalOutcomePage.objects.get(pk=batch.pk).unpublish()
    assert client.get(url).status_code == 404


def test_end_publicity_is_a_worker_job(settings):
    """The worker runs end_publicity on schedule."""
    assert "end_publicity" in [job["command"] for job in settings.PORTAL_WORKER_JOBS]


def test_publicity_not_yet_started_is_still_listed(client, publicity_index):
    """A batch scheduled to start tomorrow is running, not ended."""
    batch = make_batch(publicity_index, start=timezone.localdate() + dt.timedelta(days=1))
    assert client.get(batch.url).status_code == 200
