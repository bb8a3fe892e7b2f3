"""The case-handling demo: every state, overdue and rated cases, idempotent."""

import io

import pytest

from feedback import demo_cases
from feedback.enums import CaseState
from feedback.models import Feedback, FollowUp, GridSurveyRating, Rating, ReplyTemplate
from portal.demo_support import DemoContext

pytestmark = pytest.mark.django_db


def _load():
    ctx = DemoContext(stdout=io.StringIO())
    demo_cases.load(ctx)
    return ctx


def test_demo_cases_cover_every_state(case_world):
    """The demo has cases in every state, overdue ones and a poor rating with its follow-up."""
    _load()
    states = set(Feedback.objects.values_list("state", flat=True))
    assert states == set(CaseState.values)
    assert Feedback.objects.filter(escalated_at__isnull=False).count() >= 2
    assert Rating.objects.filter(level__lte=2).exists()
    assert FollowUp.objects.filter(completed_at__isnull=False).exists()
    assert ReplyTemplate.objects.count() >= 2
    assert GridSurveyRating.objects.filter(verified=False).exists()
    assert set(Feedback.objects.values_list("grid", flat=True)) >= {
        case_world.grid_a1.pk,
        case_world.grid_a2.pk,
        case_world.grid_b1.pk,
    }


def test_demo_cases_load_twice_changes_nothing(case_world):
    """A second run creates nothing."""
    _load()
    count = Feedback.objects.count()
    assert _load().created == 0
    assert Feedback.objects.count() == count


def test_demo_tracking_code_opens_a_rated_case(case_world, client):
    """The printed demo code shows a rated case with its reply."""
    _load()
    html = client.get(f"/feedback/track/{demo_cases.DEMO_TRACKING_CODE}/").content.decode()
    assert "已更换灯泡，路灯恢复照明。" in html and "非常满意" in html
