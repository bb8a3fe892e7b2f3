"""Browser: axe on the public pages of the grid worker's day: the review results, the list of
reviews, and the statistics page with published assessment figures."""

import datetime as dt

import pytest
from django.utils import timezone

from fieldwork.models import (
    Assessment,
    ImprovementAction,
    Review,
    ReviewCampaign,
    ReviewPair,
    ReviewScore,
)

from .test_cases import staffed_grid  # noqa: F401  (the fixture)


@pytest.fixture
def public_campaign(staffed_grid):  # noqa: F811
    """A public campaign with a review of the grid, an action, and a published assessment."""
    today = timezone.localdate()
    campaign = ReviewCampaign.objects.create(
        community=staffed_grid.community(),
        title="第三季度双向点评",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today - dt.timedelta(days=1),
        is_public=True,
        summary="总体评价较好。",
    )
    review = Review.objects.create(
        campaign=campaign, pair=ReviewPair.COMMUNITY_GRID, grid=staffed_grid
    )
    ReviewScore.objects.create(review=review, aspect="style", score=4, comment="走访勤快")
    ImprovementAction.objects.create(
        campaign=campaign,
        aspect="process",
        action="工作单超期当天催办",
        owner="社区服务中心",
        deadline=today,
    )
    Assessment.objects.create(
        grid=staffed_grid,
        worker=staffed_grid.primary_worker,
        kind="month",
        period="2026-10",
        on_time_rate=90.0,
        score=88.5,
        published=True,
    )
    return campaign


@pytest.mark.parametrize("mode", ["normal", "care"])
@pytest.mark.parametrize("which", ["results", "index", "statistics"])
def test_review_pages_have_no_wcag_violations(page, axe, care_mode, public_campaign, mode, which):
    """axe finds no WCAG 2.1 A/AA violation on the review pages and the assessment figures."""
    if mode == "care":
        care_mode()
    urls = {
        "results": f"/reviews/{public_campaign.pk}/",
        "index": "/reviews/",
        "statistics": "/statistics/",
    }
    page.goto(urls[which])
    assert page.get_by_role("table").count() >= (0 if which == "index" else 1)
    axe(page)
