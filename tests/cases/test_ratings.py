"""Ratings: five levels, once, only after closing; poor ratings open a follow-up; appeals."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from feedback.enums import AppealDecision, CaseState
from feedback.handling.after_rating import RatingError, appeal, complete_follow_up, decide_appeal
from feedback.models import Feedback, FollowUp, Rating
from feedback.public.ratings import rate
from feedback.stats import monthly_figures

pytestmark = pytest.mark.django_db
LOCAL = timezone.get_fixed_timezone(8 * 60)


def _closed(case_world, **fields):
    case = case_world.case(**fields)
    Feedback.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, closed_at=timezone.now())
    case.refresh_from_db()
    return case


def test_rating_after_closing_moves_case_to_rated(case_world):
    """A closed case rated 5 becomes 'rated', shown on the tracking page."""
    case = _closed(case_world)
    rating = rate(case, 5, "很及时")
    case.refresh_from_db()
    assert (rating.level, case.state) == (5, CaseState.RATED)
    assert rating.get_level_display() == "非常满意"


@pytest.mark.parametrize("state", ["received", "dispatched", "in_progress", "verified"])
def test_no_rating_before_closing(case_world, state):
    """A case that is not closed cannot be rated."""
    case = case_world.case()
    Feedback.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    with pytest.raises(RatingError, match="办结后"):
        rate(case, 4)
    assert not Rating.objects.exists()


def test_only_once(case_world):
    """A second rating is refused; the first stays."""
    case = _closed(case_world)
    rate(case, 4)
    case.refresh_from_db()
    with pytest.raises(RatingError, match="一次"):
        rate(case, 1)
    assert list(Rating.objects.values_list("level", flat=True)) == [4]


@pytest.mark.parametrize("level", [0, 6, "", "abc"])
def test_level_must_be_one_of_five(case_world, level):
    """Anything but 1 to 5 is refused with a message."""
    with pytest.raises(RatingError, match="请选择"):
        rate(_closed(case_world), level)


@pytest.mark.parametrize(("level", "opens"), [(1, True), (2, True), (3, False), (5, False)])
def test_poor_rating_opens_follow_up(case_world, level, opens):
    """A 2 or 1 opens a follow-up for the service centre; 3 and above do not."""
    case = _closed(case_world)
    rate(case, level)
    assert FollowUp.objects.filter(case=case).exists() is opens
    if opens:
        assert FollowUp.objects.get(case=case).centre == case_world.centre_a


def test_follow_up_due_in_configured_working_days(case_world, settings):
    """The follow-up is due 15 working days later by default, and the setting changes it."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=LOCAL), tick=False):
        follow_up = rate(_closed(case_world), 1).case.follow_up
    assert timezone.localtime(follow_up.due_at).date() == dt.date(2026, 3, 23)
    settings.FEEDBACK_FOLLOW_UP_WORKING_DAYS = 5
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=LOCAL), tick=False):
        follow_up = rate(_closed(case_world), 2).case.follow_up
    assert timezone.localtime(follow_up.due_at).date() == dt.date(2026, 3, 9)


def test_follow_up_records_visit_rectification_and_reply(
    case_world, client, send_outbox, mailoutbox
):
    """Completing the follow-up records all three; the resident reads the reply."""
    case = _closed(case_world)
    rate(case, 1, "没解决")
    follow_up = FollowUp.objects.get(case=case)
    with pytest.raises(RatingError):
        complete_follow_up(follow_up, case_world.centre_a_user, "已上门", "", "")
    complete_follow_up(
        follow_up, case_world.centre_a_user, "已上门", "重新更换灯具", "已重新修好。"
    )
    follow_up.refresh_from_db()
    assert follow_up.completed_at is not None and follow_up.rectification == "重新更换灯具"
    assert "已重新修好。" in client.get(f"/feedback/track/{case.tracking_code}/").content.decode()
    send_outbox()
    assert any("已重新修好。" in m.body for m in mailoutbox if m.to == ["chen@example.org"])


def test_appeal_keeps_rating_and_decision(case_world):
    """An overturned appeal keeps the rating and the appeal on record; stats leave it out."""
    case = _closed(case_world)
    rating = rate(case, 1, "不满意")
    filed = appeal(rating, case_world.worker_a1_user, "居民反映的问题不属于本网格")
    with pytest.raises(RatingError, match="负责人"):
        decide_appeal(filed, case_world.worker_a2_user, overturn=True)
    decide_appeal(filed, case_world.head_a_user, overturn=True, note="核实属实")
    rating.refresh_from_db()
    filed.refresh_from_db()
    assert rating.level == 1
    assert filed.decision == AppealDecision.OVERTURNED
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert sum(row.ratings for row in monthly_figures(months=1)) == 0


def test_appeal_needs_reason_and_upheld_rating_counts(case_world):
    """An appeal needs a reason; an upheld rating still counts in the statistics."""
    rating = rate(_closed(case_world), 2)
    with pytest.raises(RatingError, match="理由"):
        appeal(rating, case_world.worker_a1_user, "")
    filed = appeal(rating, case_world.worker_a1_user, "已尽力")
    decide_appeal(filed, case_world.head_a_user, overturn=False)
    assert monthly_figures(months=1)[-1].levels[2] == 1


def test_rating_form_is_never_prefilled(case_world, client):
    """The rating form offers five levels with none chosen."""
    case = _closed(case_world)
    html = client.get(f"/feedback/track/{case.tracking_code}/rate/").content.decode()
    for label in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert label in html
    assert "checked" not in html


def test_rating_form_posts_once(case_world, client):
    """Posting the form rates the case; posting again is refused with a message."""
    case = _closed(case_world)
    url = f"/feedback/track/{case.tracking_code}/rate/"
    assert client.post(url, {"level": "4", "comment": "好"}).status_code == 302
    response = client.post(url, {"level": "1"})
    assert response.status_code == 400 and "一次" in response.content.decode()
    assert Rating.objects.get().level == 4


def test_rating_form_without_choice_is_refused(case_world, client):
    """Submitting without a level is refused with a message (never forced, never guessed)."""
    case = _closed(case_world)
    response = client.post(f"/feedback/track/{case.tracking_code}/rate/", {"comment": "x"})
    assert response.status_code == 400 and "请选择" in response.content.decode()
    assert not Rating.objects.exists()


def test_signed_in_staff_cannot_rate_through_the_form(case_world, client):
    """A grid worker signed in who posts a rating is refused with a message; nothing saved."""
    case = _closed(case_world)
    client.force_login(case_world.worker_a1_user)
    url = f"/feedback/track/{case.tracking_code}/rate/"
    response = client.post(url, {"level": "5", "comment": "很好"})
    html = response.content.decode()
    assert response.status_code == 403
    assert "工作人员账号不能评价诉求" in html and 'name="level"' not in html
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and not Rating.objects.exists()
    assert "工作人员账号不能评价诉求" in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["centre_a_user", "admin", "worker_b1_user"])
def test_rate_refuses_a_staff_account(case_world, who):
    """ratings.rate refuses any staff account, whichever role or grid."""
    case = _closed(case_world)
    with pytest.raises(RatingError, match="工作人员账号不能评价"):
        rate(case, 5, user=getattr(case_world, who))
    assert not Rating.objects.exists()


def test_signed_in_resident_can_rate(case_world, client):
    """A resident's own account may rate: the refusal is for staff accounts only."""
    case = _closed(case_world)
    client.force_login(case_world.resident)
    response = client.post(f"/feedback/track/{case.tracking_code}/rate/", {"level": "4"})
    assert response.status_code == 302
    assert Rating.objects.get(case=case).user == case_world.resident
