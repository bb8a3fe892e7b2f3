"""Statistics figures checked against hand-computed values; the page and the grid block."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from feedback.enums import CaseState
from feedback.models import Feedback, GridSurveyRating, Rating
from feedback.stats import monthly_figures, survey_figures

pytestmark = pytest.mark.django_db
LOCAL = timezone.get_fixed_timezone(8 * 60)
TODAY = dt.datetime(2026, 3, 20, 12, tzinfo=LOCAL)


def at(day, hour, month=3):
    return dt.datetime(2026, month, day, hour, tzinfo=LOCAL)


@pytest.fixture
def figures(case_world):
    """Grid A1: in March three cases closed (24 h on time, 156 h late, 30 h on time) rated
    5, 1 and 4, and one February case still open; grid B1: one March case."""
    plan = [
        (at(2, 10), at(3, 10), at(9, 17), 5),
        (at(4, 10), at(10, 22), at(9, 17), 1),
        (at(5, 10), at(6, 16), at(12, 17), 4),
    ]
    for created, closed, deadline, level in plan:
        case = case_world.case(created_at=created, contact_phone="13900000000")
        Feedback.objects.filter(pk=case.pk).update(
            state=CaseState.RATED, closed_at=closed, deadline=deadline
        )
        Rating.objects.create(case=case, level=level, created_at=closed + dt.timedelta(hours=1))
    case_world.case(created_at=at(20, 10, month=2))
    case_world.case(grid=case_world.grid_b1, created_at=at(3, 10))
    for level, verified in [(5, True), (4, True), (2, True), (1, False), (5, False)]:
        GridSurveyRating.objects.create(
            grid=case_world.grid_a1, quarter="2026Q1", level=level, verified=verified
        )
    return case_world


def test_monthly_figures_match_hand_computation(figures):
    """March: 3 received, 3 closed, 2 on time (66.7%), median 30 h, satisfaction 2/3."""
    with time_machine.travel(TODAY, tick=False):
        rows = monthly_figures(Feedback.objects.filter(grid=figures.grid_a1), months=2)
    february, march = rows
    assert (february.month, february.received, february.closed) == ("2026-02", 1, 0)
    assert (march.month, march.received, march.closed, march.on_time) == ("2026-03", 3, 3, 2)
    assert march.on_time_rate == 66.7
    assert march.median_hours == 30.0
    assert march.levels == {5: 1, 4: 1, 3: 0, 2: 0, 1: 1}
    assert march.satisfaction_rate == 66.7
    assert february.on_time_rate is None and february.satisfaction_rate is None


def test_survey_figures_keep_verified_apart(figures):
    """2026Q1: verified 5, 4, 2 (66.7% satisfied); unverified 1, 5 (50%)."""
    with time_machine.travel(TODAY, tick=False):
        (quarter,) = survey_figures(figures.grid_a1, quarters=1)
    assert quarter.quarter == "2026Q1"
    assert (quarter.verified_count, quarter.verified_rate) == (3, 66.7)
    assert (quarter.unverified_count, quarter.unverified_rate) == (2, 50.0)


def test_statistics_page_shows_figures_chart_and_no_resident_data(figures, client):
    """The page shows the grid's figures in an SVG chart and a table, and no contact data."""
    with time_machine.travel(TODAY, tick=False):
        response = client.get(f"/statistics/?grid={figures.grid_a1.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "受理：" in html
    assert "66.7%" in html and "30.0" in html and "50.0%" in html
    assert "13900000000" not in html and "陈居民" not in html and "chen@example.org" not in html


def test_statistics_page_ignores_bad_grid_parameter(figures, client):
    """A nonsense grid parameter shows all communities instead of an error."""
    response = client.get("/statistics/?grid=abc")
    assert response.status_code == 200 and "全部社区" in response.content.decode()


def test_grid_statistics_tag(figures):
    """The tag renders the grid's block with its figures and the survey link."""
    request = RequestFactory().get("/")
    with time_machine.travel(TODAY, tick=False):
        html = Template("{% load feedback_tags %}{% grid_statistics page %}").render(
            Context({"page": figures.grid_a1, "request": request})
        )
    assert "本网格诉求办理情况" in html and "66.7%" in html
    assert f"/feedback/survey/{figures.grid_a1.pk}/" in html and "评价网格服务" in html
