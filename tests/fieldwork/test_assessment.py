"""Assessment (考核): the community's weights, each grid's figures from the records, the score,
and the published figures on the public statistics page."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feedback import stats
from feedback.models import Feedback, GridSurveyRating, Rating
from fieldwork import scoring
from fieldwork.models import Assessment, AssessmentWeights, Patrol, Visit

pytestmark = pytest.mark.django_db

NOVEMBER = "2026-11"


def _at(day, hour=10):
    moment = dt.datetime.combine(day, dt.time(hour))
    return timezone.make_aware(moment, timezone.get_current_timezone())


def _closed_case(world, grid, day, on_time, level=None):
    case = world.case(grid=grid, created_at=_at(day))
    closed = _at(day + dt.timedelta(days=1))
    deadline = closed + dt.timedelta(days=1 if on_time else -1)
    Feedback.objects.filter(pk=case.pk).update(state="closed", closed_at=closed, deadline=deadline)
    if level is not None:
        Rating.objects.create(case=case, level=level, created_at=closed)
    return case


def test_weights_must_add_up_to_one_hundred(community):
    """Weights that add up to 90% are refused with the sum in the message."""
    weights = AssessmentWeights(community=community, on_time_weight=20)
    with pytest.raises(ValidationError) as error:
        weights.full_clean()
    assert "90%" in str(error.value)
    AssessmentWeights(community=community).full_clean()  # the defaults add up to 100


def test_on_time_and_satisfaction_are_the_statistics_pages_figures(case_world):
    """The assessment's on-time and satisfaction rates equal feedback.stats for that month."""
    day = dt.date(2026, 11, 9)
    _closed_case(case_world, case_world.grid_a1, day, on_time=True, level=5)
    _closed_case(case_world, case_world.grid_a1, day, on_time=True, level=2)
    _closed_case(case_world, case_world.grid_a1, day, on_time=False)
    scoring.compute_month(case_world.community_a, NOVEMBER)
    result = Assessment.objects.get(grid=case_world.grid_a1, period=NOVEMBER)
    figures = stats.per_grid_figures(
        grids=[case_world.grid_a1], months=1, today=dt.date(2026, 11, 30)
    )[case_world.grid_a1][0]
    assert result.on_time_rate == figures.on_time_rate == 66.7
    assert result.satisfaction_rate == figures.satisfaction_rate == 50.0
    assert result.worker.name == "张敏"


def test_patrol_coverage_visits_and_survey(case_world):
    """Coverage is patrolled working days over working days; visits count addresses once."""
    grid = case_world.grid_a1
    AssessmentWeights.objects.create(community=case_world.community_a, visits_per_month=4)
    for day in (2, 3, 3, 4):  # Monday to Wednesday, 2–4 November 2026
        Patrol.objects.create(grid=grid, date=dt.date(2026, 11, day))
    for address in ("1号楼101", "1号楼101", "2号楼202"):
        Visit.objects.create(grid=grid, address=address, date=dt.date(2026, 11, 5))
    GridSurveyRating.objects.create(
        grid=grid, quarter="2026Q4", level=5, created_at=_at(dt.date(2026, 11, 5))
    )
    GridSurveyRating.objects.create(
        grid=grid, quarter="2026Q4", level=3, created_at=_at(dt.date(2026, 11, 6))
    )
    scoring.compute_month(case_world.community_a, NOVEMBER)
    result = Assessment.objects.get(grid=grid, period=NOVEMBER)
    working = len(scoring.records.working_days(dt.date(2026, 11, 1), dt.date(2026, 11, 30)))
    assert result.patrol_coverage == round(100 * 3 / working, 1)
    assert (result.visits, result.visit_rate) == (2, 50.0)
    assert result.survey_rate == 50.0


def test_score_shares_a_missing_figures_weight_among_the_others(community):
    """With no on-time rate, the other figures' weights are scaled up to make the score."""
    weights = AssessmentWeights(community=community)
    figures = {
        "on_time_rate": None,
        "satisfaction_rate": 100.0,
        "patrol_coverage": 50.0,
        "visit_rate": 100.0,
        "survey_rate": 100.0,
    }
    # (20*100 + 20*50 + 15*100 + 15*100) / 70
    assert scoring.score(figures, weights) == 85.7


def test_recomputing_keeps_the_published_flag(case_world):
    """Computing a month again updates the figures and leaves a published result published."""
    scoring.compute_month(case_world.community_a, NOVEMBER)
    Assessment.objects.filter(period=NOVEMBER).update(published=True, visits=99)
    scoring.compute_month(case_world.community_a, NOVEMBER)
    rows = Assessment.objects.filter(period=NOVEMBER)
    assert rows.count() == 2
    assert all(row.published and row.visits == 0 for row in rows)


def test_yearly_assessment_covers_twelve_months(case_world):
    """A year's assessment counts visits of the whole year against twelve months' target."""
    Visit.objects.create(grid=case_world.grid_a1, address="3号楼", date=dt.date(2026, 2, 3))
    Visit.objects.create(grid=case_world.grid_a1, address="4号楼", date=dt.date(2026, 10, 3))
    scoring.compute_year(case_world.community_a, 2026)
    result = Assessment.objects.get(grid=case_world.grid_a1, period="2026")
    assert (result.kind, result.visits, result.visit_rate) == ("year", 2, round(200 / 240, 1))


def test_statistics_page_shows_published_assessments_only(case_world, client):
    """The statistics page shows a published result with the worker's public name; an
    unpublished month is not shown."""
    scoring.compute_month(case_world.community_a, "2026-10")
    scoring.compute_month(case_world.community_a, NOVEMBER)
    Assessment.objects.filter(period="2026-10").update(published=True, score=91.5)
    html = client.get("/statistics/").content.decode()
    assert "2026-10 月度考核" in html and "91.5" in html and "张敏" in html
    assert "2026-11 月度考核" not in html
    assert "a1@example.org" not in html


def test_statistics_page_of_one_grid_shows_its_row(case_world, client):
    """With a grid chosen, only that grid's published figures are shown."""
    scoring.compute_month(case_world.community_a, NOVEMBER)
    Assessment.objects.update(published=True)
    html = client.get(f"/statistics/?grid={case_world.grid_a2.pk}").content.decode()
    assert "王芳" in html and "张敏" not in html


def test_centre_computes_last_month_for_its_community_only(case_world, client):
    """The compute button makes last month's results for the centre's own grids."""
    client.force_login(case_world.centre_a_user)
    response = client.post("/admin/fieldwork/assessments/compute/")
    assert response.status_code == 302
    assert sorted(Assessment.objects.values_list("grid__title", "period")) == [
        ("甲一网格", scoring.last_month()),
        ("甲二网格", scoring.last_month()),
    ]


def test_weights_of_another_community_cannot_be_edited(case_world, client):
    """Community B's centre is refused community A's weights."""
    weights = AssessmentWeights.objects.create(community=case_world.community_a)
    client.force_login(case_world.centre_b_user)
    response = client.get(f"/admin/fieldwork/weights/edit/{weights.pk}/")
    assert response.status_code in (302, 403)
    client.force_login(case_world.centre_a_user)
    assert client.get(f"/admin/fieldwork/weights/edit/{weights.pk}/").status_code == 200


def test_compute_and_publish_from_the_list(case_world, client):
    """The list's button leads to a page whose second button computes and publishes."""
    client.force_login(case_world.centre_a_user)
    listing = client.get("/admin/fieldwork/assessments/").content.decode()
    assert 'href="/admin/fieldwork/assessments/compute/"' in listing
    assert "计算并公示" in client.get("/admin/fieldwork/assessments/compute/").content.decode()
    client.post("/admin/fieldwork/assessments/compute/", {"publish": "1"})
    assert Assessment.objects.filter(published=True).count() == 2


def test_assessments_of_another_community_are_not_listed_or_opened(case_world, client):
    """Community B's centre neither lists nor opens community A's results."""
    scoring.compute_month(case_world.community_a, NOVEMBER)
    result = Assessment.objects.filter(grid=case_world.grid_a1).get()
    client.force_login(case_world.centre_b_user)
    assert "甲一网格" not in client.get("/admin/fieldwork/assessments/").content.decode()
    response = client.get(f"/admin/fieldwork/assessments/edit/{result.pk}/")
    assert response.status_code in (302, 403)
    client.force_login(case_world.centre_a_user)
    assert "甲一网格" in client.get("/admin/fieldwork/assessments/").content.decode()


def test_compute_a_year_from_the_admin(case_world, client):
    """A year typed in the form computes the yearly assessment."""
    client.force_login(case_world.centre_a_user)
    client.post("/admin/fieldwork/assessments/compute/", {"period": "2025"})
    assert set(Assessment.objects.values_list("kind", "period")) == {("year", "2025")}


@pytest.mark.parametrize("period", ["2026-13", "26-11", "２０２６", "2026-1\x00", "9999"])
def test_a_malformed_period_is_refused_with_a_message(case_world, client, period):
    """A period that is no month or year gets the form back with a message, nothing computed."""
    client.force_login(case_world.centre_a_user)
    response = client.post("/admin/fieldwork/assessments/compute/", {"period": period})
    assert response.status_code == 400
    assert "考核期请写成" in response.content.decode()
    assert not Assessment.objects.exists()


def test_worker_job_computes_last_month_once_and_publishes_nothing(case_world):
    """The job makes last month's results of each community once, unpublished."""
    december = dt.date(2026, 12, 3)
    assert scoring.compute_missing(december) == 3  # 甲一, 甲二, 乙一
    assert scoring.compute_missing(december) == 0
    assert set(Assessment.objects.values_list("period", "published")) == {(NOVEMBER, False)}


def test_worker_job_adds_last_year_in_january(case_world):
    """In January the job also makes the year before's results."""
    scoring.compute_missing(dt.date(2027, 1, 5))
    assert set(Assessment.objects.values_list("kind", "period")) == {
        ("month", "2026-12"),
        ("year", "2026"),
    }
