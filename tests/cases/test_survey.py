"""The grid satisfaction survey: once a quarter per account, limits for anonymous ratings,
poor ratings with a comment become cases."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from feedback.models import Feedback, GridSurveyRating
from feedback.stats import survey_figures

pytestmark = pytest.mark.django_db
LOCAL = timezone.get_fixed_timezone(8 * 60)


def _url(case_world):
    return f"/feedback/survey/{case_world.grid_a1.pk}/"


def test_signed_in_rating_is_verified_and_once_per_quarter(case_world, client):
    """An account rates once a quarter (verified); a second try is refused with a message."""
    client.force_login(case_world.resident)
    with time_machine.travel(dt.datetime(2026, 5, 10, 10, tzinfo=LOCAL), tick=False):
        assert "谢谢" in client.post(_url(case_world), {"level": "5"}).content.decode()
        again = client.post(_url(case_world), {"level": "1"})
    assert again.status_code == 400 and "本季度" in again.content.decode()
    rating = GridSurveyRating.objects.get()
    assert (rating.level, rating.verified, rating.quarter, rating.user) == (
        5,
        True,
        "2026Q2",
        case_world.resident,
    )


def test_next_quarter_allows_a_new_rating(case_world, client):
    """The same account can rate again in the next quarter."""
    client.force_login(case_world.resident)
    with time_machine.travel(dt.datetime(2026, 6, 30, 10, tzinfo=LOCAL), tick=False):
        client.post(_url(case_world), {"level": "4"})
    with time_machine.travel(dt.datetime(2026, 7, 1, 10, tzinfo=LOCAL), tick=False):
        client.post(_url(case_world), {"level": "3"})
    assert sorted(GridSurveyRating.objects.values_list("quarter", flat=True)) == [
        "2026Q2",
        "2026Q3",
    ]


def test_anonymous_rating_limited_per_device(case_world, client):
    """An anonymous resident is counted once per device (cookie) per quarter, unverified."""
    client.get(_url(case_world))  # sets the device cookie
    client.post(_url(case_world), {"level": "4"})
    response = client.post(_url(case_world), {"level": "4"})
    assert response.status_code == 400
    rating = GridSurveyRating.objects.get()
    assert rating.verified is False and rating.user is None


def test_anonymous_ratings_limited_per_ip(case_world, client, settings):
    """New devices from one IP address stop at the limit."""
    settings.FEEDBACK_SURVEY_PER_IP = 2
    for _i in range(3):
        client.cookies.clear()
        response = client.post(_url(case_world), {"level": "5"})
    assert response.status_code == 400 and "上限" in response.content.decode()
    assert GridSurveyRating.objects.count() == 2


def test_verified_and_unverified_counted_apart(case_world, client):
    """The figures keep signed-in and anonymous ratings apart."""
    client.post(_url(case_world), {"level": "2"})
    client.force_login(case_world.resident)
    client.post(_url(case_world), {"level": "5"})
    quarter = survey_figures(case_world.grid_a1, quarters=1)[0]
    assert (quarter.verified[5], quarter.unverified[2]) == (1, 1)
    assert (quarter.verified_rate, quarter.unverified_rate) == (100.0, 0.0)


def test_poor_rating_with_comment_becomes_case(case_world, client, send_outbox, mailoutbox):
    """A 1 with a comment opens a case for the grid's centre, which is told by e-mail."""
    client.post(
        _url(case_world),
        {"level": "1", "aspects": ["attitude", "speed"], "comment": "网格员很久不回电话"},
    )
    case = Feedback.objects.get()
    assert case.grid == case_world.grid_a1 and case.community == case_world.community_a
    assert "网格员很久不回电话" in case.message
    assert GridSurveyRating.objects.get().case == case
    send_outbox()
    assert any(m.to == ["centre-a@example.org"] for m in mailoutbox)


@pytest.mark.parametrize(("level", "comment"), [("2", ""), ("3", "一般")])
def test_other_ratings_do_not_become_cases(case_world, client, level, comment):
    """A poor rating without comment, or a 3 with one, opens no case."""
    client.post(_url(case_world), {"level": level, "comment": comment})
    assert GridSurveyRating.objects.count() == 1
    assert not Feedback.objects.exists()


def test_missing_level_is_refused(case_world, client):
    """Without a level the form comes back with a message."""
    response = client.post(_url(case_world), {"comment": "x"})
    assert response.status_code == 400 and "请选择" in response.content.decode()


def test_unknown_grid_is_not_found(case_world, client):
    """A grid that does not exist answers 404."""
    assert client.get("/feedback/survey/999999/").status_code == 404
