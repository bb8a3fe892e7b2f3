"""The demo community's weekly meetings, assessment and finished review campaign."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from fieldwork import demo_reviews
from fieldwork.models import (
    Assessment,
    AssessmentWeights,
    MeetingDecision,
    ReviewCampaign,
    ReviewPair,
    WeeklyMeeting,
)
from fieldwork.review_results import results
from grids.models import GridPage
from portal.demo_support import DemoContext

pytestmark = pytest.mark.django_db


def test_demo_has_a_month_of_meetings_with_owned_decisions(loaded_demo):
    """Four weekly meetings, each with decisions that have an owner and a deadline."""
    meetings = WeeklyMeeting.objects.filter(community__slug="minghua")
    assert meetings.count() == 4
    assert all(meeting.decisions.count() >= 2 for meeting in meetings)
    assert not MeetingDecision.objects.filter(owner__isnull=True).exists()
    assert MeetingDecision.objects.filter(done_on__isnull=True).exists()


def test_demo_agenda_page_follows_the_open_decisions(loaded_demo, client):
    """The demo centre's agenda shows this week and the decisions still open."""
    client.force_login(get_user_model().objects.get(username="demo-centre"))
    html = client.get("/admin/fieldwork/agenda/").content.decode()
    assert "明华社区 民情分析会" in html
    assert "第五网格请假期间增派志愿者协助巡查" in html


def test_demo_publishes_a_months_assessment_of_every_grid(loaded_demo, client):
    """The assessment of the month of the demo's records is published for each grid, with
    patrols counted, and is on the statistics page."""
    weights = AssessmentWeights.objects.get(community__slug="minghua")
    assert weights.total == 100
    period = demo_reviews.assessed_month(timezone.localdate())
    published = Assessment.objects.filter(period=period, published=True)
    assert published.count() == GridPage.objects.live().count()
    assert any(row.patrol_coverage for row in published)
    assert f"{period} 月度考核" in client.get("/statistics/").content.decode()


def test_demo_campaign_is_finished_public_and_covers_every_pair(loaded_demo, client):
    """The demo campaign ended before today, has scores for every pair and public results."""
    campaign = ReviewCampaign.objects.get(community__slug="minghua")
    assert campaign.ends_on < timezone.localdate() and campaign.is_public
    found = {result.pair: result.reviews for result in results(campaign)}
    assert set(found) == set(ReviewPair) and all(found.values())
    html = client.get(f"/reviews/{campaign.pk}/").content.decode()
    assert "转交条线的工作单超过期限未签收的" in html


def test_loading_again_creates_nothing(loaded_demo):
    """A second run of the demo module adds no object."""
    ctx = DemoContext(stdout=io.StringIO())
    demo_reviews.load(ctx)
    assert ctx.created == 0
