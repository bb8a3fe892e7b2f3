"""The weekly analysis meeting (民情分析会): the generated agenda and the recorded decisions."""

import datetime as dt

import pytest
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from feedback.enums import CaseState
from feedback.models import Feedback, GridSurveyRating, Rating
from fieldwork import agenda
from fieldwork.handover import send_slip
from fieldwork.models import HandoverSlip, MeetingDecision, Patrol, SlipState, WeeklyMeeting
from fieldwork.models.meetings import week_start

pytestmark = pytest.mark.django_db

AGENDA = "/admin/fieldwork/agenda/"


def test_agenda_counts_this_weeks_new_cases_by_category_and_grid(case_world):
    """New cases of the week are counted by category and by grid; last week's are not."""
    case_world.case(subject="本周一")
    case_world.case(subject="本周二", grid=case_world.grid_a2)
    case_world.case(subject="上周", created_at=timezone.now() - dt.timedelta(days=8))
    case_world.case(subject="别的社区", grid=case_world.grid_b1)
    result = agenda.build(case_world.community_a)
    assert result.new_cases == 2
    assert result.by_category == [("测试设施报修", 2)]
    assert sorted(result.by_grid) == [("甲一网格", 1), ("甲二网格", 1)]


def test_agenda_lists_overdue_cases_and_poor_ratings(case_world):
    """An open case past its deadline and a poor rating of the week are on the agenda."""
    late = case_world.case(subject="超期的")
    Feedback.objects.filter(pk=late.pk).update(
        state=CaseState.IN_PROGRESS, deadline=timezone.now() - dt.timedelta(hours=1)
    )
    rated = case_world.case(subject="被差评的")
    Rating.objects.create(case=rated, level=1)
    GridSurveyRating.objects.create(grid=case_world.grid_a1, quarter="2026Q4", level=2)
    result = agenda.build(case_world.community_a)
    assert [case.subject for case in result.overdue] == ["超期的"]
    assert [r.case.subject for r in result.poor_ratings] == ["被差评的"]
    assert [s.grid.title for s in result.poor_surveys] == ["甲一网格"]


def test_agenda_page_shows_the_users_community_this_week(case_world, client):
    """The centre's agenda page names its community and this week's Monday."""
    case_world.case(subject="路灯不亮")
    client.force_login(case_world.centre_a_user)
    response = client.get(AGENDA)
    html = response.content.decode()
    assert response.status_code == 200
    assert f"甲社区 民情分析会：{week_start():%Y-%m-%d}" in html
    assert "测试设施报修" in html


def test_agenda_of_another_community_is_not_shown(case_world, client):
    """Asking for another community's agenda shows the user's own community instead."""
    client.force_login(case_world.centre_b_user)
    html = client.get(f"{AGENDA}?community={case_world.community_a.pk}").content.decode()
    assert "乙社区 民情分析会" in html and "甲社区 民情分析会" not in html


def test_residents_have_no_agenda(case_world, client):
    """A resident's account cannot open the agenda."""
    client.force_login(case_world.resident)
    assert client.get(AGENDA).status_code in (302, 403)


def test_opening_the_meeting_records_it_once_per_week(case_world, client):
    """The agenda's button makes the week's meeting record once and opens its edit page."""
    client.force_login(case_world.centre_a_user)
    first = client.post(AGENDA, {"community": case_world.community_a.pk})
    second = client.post(AGENDA, {"community": case_world.community_a.pk})
    meeting = WeeklyMeeting.objects.get()
    assert meeting.week_start == week_start()
    assert first.url == second.url == f"/admin/fieldwork/meetings/edit/{meeting.pk}/"


def test_open_decisions_of_earlier_weeks_come_back(case_world):
    """A decision of last week's meeting that is not done is followed on this week's agenda."""
    last_week = WeeklyMeeting.objects.create(
        community=case_world.community_a, week_start=week_start() - dt.timedelta(days=7)
    )
    MeetingDecision.objects.create(
        meeting=last_week,
        subject="协调物业清理楼道",
        owner=case_world.centre_a_user,
        deadline=timezone.localdate() - dt.timedelta(days=1),
    )
    MeetingDecision.objects.create(
        meeting=last_week,
        subject="已经办完的",
        owner=case_world.centre_a_user,
        deadline=timezone.localdate(),
        done_on=timezone.localdate(),
    )
    result = agenda.build(case_world.community_a)
    assert [d.subject for d in result.open_decisions] == ["协调物业清理楼道"]
    assert result.open_decisions[0].is_overdue


def test_meeting_of_another_community_cannot_be_edited(case_world, client):
    """The edit URL of another community's meeting is refused."""
    meeting = WeeklyMeeting.objects.create(
        community=case_world.community_a, week_start=week_start()
    )
    client.force_login(case_world.centre_b_user)
    response = client.get(f"/admin/fieldwork/meetings/edit/{meeting.pk}/")
    assert response.status_code in (302, 403)
    assert "协调" not in response.content.decode()
    client.force_login(case_world.centre_a_user)
    assert client.get(f"/admin/fieldwork/meetings/edit/{meeting.pk}/").status_code == 200


def test_agenda_shows_patrol_coverage_per_grid(case_world):
    """Coverage counts the week's working days with a patrol, each day once."""
    monday = week_start(dt.date(2026, 11, 23))
    for day, count in ((0, 2), (2, 1)):
        for _i in range(count):
            Patrol.objects.create(
                grid=case_world.grid_a1,
                worker=case_world.worker_a1_user,
                date=monday + dt.timedelta(days=day),
            )
    coverage = {
        grid.title: rest for grid, *rest in agenda.build(case_world.community_a, monday).coverage
    }
    assert coverage == {"甲一网格": [2, 5], "甲二网格": [0, 5]}


def test_agenda_lists_slips_the_line_has_not_finished(case_world, social_security):
    """A sent slip is on the agenda until the line finishes it."""
    slip = send_slip(
        case_world.worker_a1_user,
        line=social_security,
        grid=case_world.grid_a1,
        subject="独居老人申请护理补贴",
        details="需要社保窗口上门核实。",
    )
    assert [s.subject for s in agenda.build(case_world.community_a).open_slips] == [
        "独居老人申请护理补贴"
    ]
    HandoverSlip.objects.filter(pk=slip.pk).update(state=SlipState.DONE)
    assert agenda.build(case_world.community_a).open_slips == []


def test_grid_worker_reads_the_agenda_of_their_community(case_world, client):
    """A grid worker sees their community's agenda but cannot open the meeting record."""
    client.force_login(case_world.worker_b1_user)
    assert "乙社区 民情分析会" in client.get(AGENDA).content.decode()
    assert client.post(AGENDA).status_code in (302, 403)
    assert not WeeklyMeeting.objects.exists()


def test_grid_worker_sees_only_their_grids_cases_listed(case_world):
    """On a worker's agenda, another grid's overdue case is counted but not listed."""
    mine = case_world.case(subject="甲一超期", grid=case_world.grid_a1)
    other = case_world.case(subject="甲二超期", grid=case_world.grid_a2)
    Feedback.objects.filter(pk__in=[mine.pk, other.pk]).update(
        state=CaseState.IN_PROGRESS, deadline=timezone.now() - dt.timedelta(hours=1)
    )
    result = agenda.build(case_world.community_a, viewer=case_world.worker_a2_user)
    assert [case.subject for case in result.overdue] == ["甲二超期"]
    assert result.new_cases == 2


def test_a_long_backlog_is_counted_whole_and_listed_in_part(case_world, client):
    """With more overdue cases than the agenda lists, it gives the count and the inbox link."""
    for n in range(agenda.LISTED + 2):
        case = case_world.case(subject=f"积压{n}")
        Feedback.objects.filter(pk=case.pk).update(
            state=CaseState.IN_PROGRESS, deadline=timezone.now() - dt.timedelta(hours=n + 1)
        )
    result = agenda.build(case_world.community_a)
    assert result.overdue_count == agenda.LISTED + 2
    assert len(result.overdue) == agenda.LISTED
    assert result.overdue[0].subject == f"积压{agenda.LISTED + 1}"  # the longest overdue first
    client.force_login(case_world.centre_a_user)
    html = client.get(AGENDA).content.decode()
    assert f"共 {agenda.LISTED + 2} 件" in html and "/admin/cases/?due=overdue" in html


def test_decision_owners_are_the_communitys_staff(case_world, client):
    """A decision's owner is chosen among the community's centre staff and grid workers."""
    meeting = WeeklyMeeting.objects.create(
        community=case_world.community_a, week_start=week_start()
    )
    client.force_login(case_world.centre_a_user)
    url = f"/admin/fieldwork/meetings/edit/{meeting.pk}/"
    html = client.get(url).content.decode()
    assert ">worker-a2<" in html and ">head-a<" in html
    assert ">worker-b1<" not in html and ">centre-b<" not in html
    data = nested_form_data(
        {
            "held_on": "",
            "attendees": "",
            "notes": "",
            "decisions": inline_formset(
                [
                    {
                        "subject": "清理楼道",
                        "grid": "",
                        "owner": case_world.centre_b_user.pk,
                        "deadline": "2026-12-10",
                        "done_on": "",
                        "outcome": "",
                    }
                ]
            ),
        }
    )
    client.post(url, data)
    assert not MeetingDecision.objects.exists()
    data["decisions-0-owner"] = case_world.worker_a2_user.pk
    client.post(url, data)
    assert MeetingDecision.objects.get().owner == case_world.worker_a2_user
