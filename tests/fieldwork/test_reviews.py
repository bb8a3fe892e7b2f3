"""Two-way reviews (双向点评): campaigns, scores by aspect and pair, the residents' part from
the grid survey, the public results page and who may change what."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from feedback.models import GridSurveyRating
from fieldwork.models import (
    ImprovementAction,
    Review,
    ReviewAspect,
    ReviewCampaign,
    ReviewPair,
    ReviewScore,
)
from fieldwork.review_results import results

pytestmark = pytest.mark.django_db


def _campaign(world, **fields):
    today = timezone.localdate()
    fields.setdefault("title", "第四季度双向点评")
    fields.setdefault("starts_on", today - dt.timedelta(days=10))
    fields.setdefault("ends_on", today + dt.timedelta(days=10))
    return ReviewCampaign.objects.create(community=world.community_a, **fields)


def _review(campaign, pair, scores, **fields):
    review = Review.objects.create(campaign=campaign, pair=pair, **fields)
    for aspect, score in scores.items():
        ReviewScore.objects.create(review=review, aspect=aspect, score=score, comment="意见")
    return review


def _cell(pair_results, pair, aspect):
    result = next(r for r in pair_results if r.pair == pair)
    return dict(result.cells)[aspect]


def test_seven_aspects():
    """The review scores exactly the seven aspects of the plans."""
    assert len(ReviewAspect) == 7
    assert ReviewAspect.SATISFACTION.label == "群众是否满意"


def test_results_are_the_mean_score_per_aspect_and_pair(case_world):
    """Two reviews of grids by the community average per aspect; pairs stay apart."""
    campaign = _campaign(case_world)
    _review(campaign, ReviewPair.COMMUNITY_GRID, {"style": 5}, grid=case_world.grid_a1)
    _review(campaign, ReviewPair.COMMUNITY_GRID, {"style": 4}, grid=case_world.grid_a2)
    _review(campaign, ReviewPair.GRID_COMMUNITY, {"style": 2}, grid=case_world.grid_a1)
    found = results(campaign)
    cell = _cell(found, ReviewPair.COMMUNITY_GRID, ReviewAspect.STYLE)
    assert (cell.mean, cell.count) == (4.5, 2)
    assert _cell(found, ReviewPair.GRID_COMMUNITY, ReviewAspect.STYLE).mean == 2
    assert _cell(found, ReviewPair.COMMUNITY_GRID, ReviewAspect.DIVISION).mean is None


def test_pairs_left_out_of_a_campaign_have_no_results(case_world):
    """A campaign without the department pairs shows only the pairs it covers."""
    campaign = _campaign(case_world, department_community=False, community_department=False)
    assert [r.pair for r in results(campaign)] == [
        ReviewPair.COMMUNITY_GRID,
        ReviewPair.RESIDENT_GRID,
        ReviewPair.GRID_COMMUNITY,
    ]


def test_residents_part_is_the_grid_survey_of_the_period(case_world):
    """Survey ratings of the community's grids in the period count as residents' satisfaction."""
    campaign = _campaign(case_world)
    now = timezone.now()
    GridSurveyRating.objects.create(grid=case_world.grid_a1, quarter="2026Q4", level=5)
    GridSurveyRating.objects.create(grid=case_world.grid_a2, quarter="2026Q4", level=2)
    GridSurveyRating.objects.create(
        grid=case_world.grid_a1,
        quarter="2026Q3",
        level=1,
        created_at=now - dt.timedelta(days=30),
    )
    GridSurveyRating.objects.create(grid=case_world.grid_b1, quarter="2026Q4", level=1)
    cell = _cell(results(campaign), ReviewPair.RESIDENT_GRID, ReviewAspect.SATISFACTION)
    assert (cell.mean, cell.count) == (3.5, 2)
    assert _cell(results(campaign), ReviewPair.RESIDENT_GRID, ReviewAspect.STYLE).mean is None


def test_a_review_of_a_pair_the_campaign_leaves_out_is_refused(case_world):
    """Entering a department review in a campaign without departments is a validation error."""
    campaign = _campaign(case_world, department_community=False)
    review = Review(campaign=campaign, pair=ReviewPair.DEPARTMENT_COMMUNITY, department="城管科")
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "pair" in error.value.message_dict


def test_a_grid_review_names_a_grid_of_the_community(case_world):
    """A community-to-grid review needs a grid, and one inside the campaign's community."""
    campaign = _campaign(case_world)
    for grid in (None, case_world.grid_b1):
        review = Review(campaign=campaign, pair=ReviewPair.COMMUNITY_GRID, grid=grid)
        with pytest.raises(ValidationError) as error:
            review.full_clean()
        assert "grid" in error.value.message_dict


def test_scores_run_from_one_to_five(case_world):
    """The database refuses a score of 6."""
    review = Review.objects.create(
        campaign=_campaign(case_world), pair=ReviewPair.COMMUNITY_GRID, grid=case_world.grid_a1
    )
    with pytest.raises(IntegrityError):
        ReviewScore.objects.create(review=review, aspect="style", score=6)


def test_public_results_page_shows_scores_and_actions(case_world, client):
    """A public campaign's page shows the aspects, the mean scores and the actions."""
    campaign = _campaign(case_world, is_public=True)
    _review(
        campaign,
        ReviewPair.COMMUNITY_GRID,
        {"style": 4},
        grid=case_world.grid_a1,
        entered_by=case_world.centre_a_user,
    )
    ImprovementAction.objects.create(
        campaign=campaign,
        aspect="style",
        action="网格员每周走访不少于三次",
        owner="社区服务中心",
        deadline=timezone.localdate(),
    )
    html = client.get(f"/reviews/{campaign.pk}/").content.decode()
    assert "工作作风是否扎实" in html and "4.0（1）" in html
    assert "网格员每周走访不少于三次" in html and "社区服务中心" in html
    assert "centre-a" not in html  # the reviewer is never named


def test_results_of_a_campaign_not_made_public_are_not_found(case_world, client):
    """A campaign that is not public answers 404 and is not listed."""
    campaign = _campaign(case_world, is_public=False)
    assert client.get(f"/reviews/{campaign.pk}/").status_code == 404
    assert "第四季度双向点评" not in client.get("/reviews/").content.decode()


def test_public_campaigns_are_listed(case_world, client):
    """The index lists a public campaign with a link to its results."""
    campaign = _campaign(case_world, is_public=True)
    html = client.get("/reviews/").content.decode()
    assert f'href="/reviews/{campaign.pk}/"' in html


def test_centre_cannot_open_another_communitys_campaign(case_world, client):
    """Community B's centre neither lists nor opens community A's campaign."""
    campaign = _campaign(case_world)
    client.force_login(case_world.centre_b_user)
    assert "第四季度双向点评" not in client.get("/admin/fieldwork/campaigns/").content.decode()
    response = client.get(f"/admin/fieldwork/campaigns/edit/{campaign.pk}/")
    assert response.status_code in (302, 403)
    client.force_login(case_world.centre_a_user)
    assert "第四季度双向点评" in client.get("/admin/fieldwork/campaigns/").content.decode()


def test_review_form_offers_only_the_users_grids(case_world, client):
    """The review form's grid choice lists the centre's own grids only."""
    _campaign(case_world)
    client.force_login(case_world.centre_a_user)
    html = client.get("/admin/fieldwork/reviews/new/").content.decode()
    assert "甲一网格" in html and "乙一网格" not in html


def test_centre_enters_a_review_with_scores_in_the_admin(case_world, client):
    """A review entered in the admin is saved with its scores and who entered it."""
    campaign = _campaign(case_world)
    client.force_login(case_world.centre_a_user)
    data = nested_form_data(
        {
            "campaign": campaign.pk,
            "pair": ReviewPair.COMMUNITY_GRID.value,
            "grid": case_world.grid_a1.pk,
            "department": "",
            "scores": inline_formset(
                [
                    {"aspect": "style", "score": 4, "comment": "走访勤快"},
                    {"aspect": "results", "score": 3, "comment": ""},
                ]
            ),
        }
    )
    response = client.post("/admin/fieldwork/reviews/new/", data)
    assert response.status_code == 302
    review = Review.objects.get()
    assert review.entered_by == case_world.centre_a_user
    assert sorted(review.scores.values_list("aspect", "score")) == [("results", 3), ("style", 4)]


def test_results_page_in_english(case_world, client):
    """In English mode the results page's own text is English; the campaign's title stays."""
    campaign = _campaign(case_world, is_public=True)
    client.cookies["portal_language"] = "en"
    html = client.get(f"/reviews/{campaign.pk}/").content.decode()
    assert "Mean score by aspect" in html and "Is the work style solid?" in html
    assert 'lang="zh-Hans">第四季度双向点评' in html


def test_staff_see_results_of_a_campaign_not_yet_public(case_world, client):
    """The community's staff see a private campaign's results in the admin; others do not."""
    campaign = _campaign(case_world, is_public=False)
    _review(campaign, ReviewPair.COMMUNITY_GRID, {"results": 2}, grid=case_world.grid_a1)
    url = f"/admin/fieldwork/campaigns/{campaign.pk}/results/"
    client.force_login(case_world.centre_a_user)
    html = client.get(url).content.decode()
    assert "工作成效是否明显" in html and "2.0（1）" in html
    client.force_login(case_world.centre_b_user)
    assert client.get(url).status_code in (302, 403)


def test_statistics_page_links_to_public_reviews(case_world, client):
    """The statistics page links to the review results once a campaign is public."""
    assert 'href="/reviews/"' not in client.get("/statistics/").content.decode()
    _campaign(case_world, is_public=True)
    assert 'href="/reviews/"' in client.get("/statistics/").content.decode()


def test_a_department_review_names_no_grid(case_world):
    """A department's review of the community cannot also name a grid."""
    campaign = _campaign(case_world)
    review = Review(
        campaign=campaign,
        pair=ReviewPair.DEPARTMENT_COMMUNITY,
        department="城管科",
        grid=case_world.grid_a1,
    )
    with pytest.raises(ValidationError) as error:
        review.full_clean()
    assert "grid" in error.value.message_dict


def test_one_aspect_twice_in_a_review_is_a_form_error(case_world, client):
    """Scoring the same aspect twice in one review is refused by the form, not a server error."""
    campaign = _campaign(case_world)
    client.force_login(case_world.centre_a_user)
    data = nested_form_data(
        {
            "campaign": campaign.pk,
            "pair": ReviewPair.COMMUNITY_GRID.value,
            "grid": case_world.grid_a1.pk,
            "department": "",
            "scores": inline_formset(
                [
                    {"aspect": "style", "score": 4, "comment": ""},
                    {"aspect": "style", "score": 2, "comment": ""},
                ]
            ),
        }
    )
    response = client.post("/admin/fieldwork/reviews/new/", data)
    assert response.status_code == 200
    assert not Review.objects.exists()
