"""The field log as a daily record: logging a patrol from a phone, its photos, findings turned
into cases, who sees which patrols, the week's summary and the grids with no entry."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.enums import Source
from fieldwork.models import FindingOutcome, Patrol, PatrolFinding
from fieldwork.patrols import (
    FindingError,
    finding_to_case,
    log_patrol,
    missing_entries,
    weekly_summary,
)
from grids.models import GridPage

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)  # an ordinary working week (no holiday in the calendar)


def _patrol(w, grid=None, date=None, **fields):
    fields.setdefault("route", "3号楼—菜市场—东门")
    return log_patrol(
        worker=w.worker_a1_user, grid=grid or w.grid_a1, date=date or timezone.localdate(), **fields
    )


def test_log_form_starts_with_today_and_the_workers_own_grid(case_world, client):
    """The worker opens the form with today's date and their own grid already chosen."""
    client.force_login(case_world.worker_a1_user)
    response = client.get(reverse("fieldwork_patrols:add"))
    form = response.context["form"]
    assert form.initial["grid"] == case_world.grid_a1.pk
    assert form.initial["date"] == timezone.localdate()


def test_worker_logs_a_patrol_with_a_finding_and_a_photo(case_world, client, photo_upload):
    """One post saves the patrol, its finding and its photo, and opens the patrol."""
    client.force_login(case_world.worker_a1_user)
    response = client.post(
        reverse("fieldwork_patrols:add"),
        {
            "grid": case_world.grid_a1.pk,
            "date": timezone.localdate().isoformat(),
            "route": "3号楼—菜市场",
            "minutes": "45",
            "note": "",
            "finding": "5号楼楼道堆放纸箱，堵住消防通道",
            "finding_place": "5号楼2单元",
            "photos": [photo_upload()],
        },
    )
    patrol = Patrol.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("fieldwork_patrols:edit", args=[patrol.pk])
    assert patrol.worker == case_world.worker_a1_user
    assert patrol.findings.get().place == "5号楼2单元"
    assert patrol.photos.get().finding == patrol.findings.get()


def test_a_patrol_cannot_be_logged_for_someone_elses_grid(case_world, client):
    """A grid the worker does not cover is not a valid choice."""
    client.force_login(case_world.worker_a1_user)
    response = client.post(
        reverse("fieldwork_patrols:add"),
        {
            "grid": case_world.grid_b1.pk,
            "date": timezone.localdate().isoformat(),
            "route": "乙一网格",
            "minutes": "30",
        },
    )
    assert response.status_code == 400
    assert not Patrol.objects.exists()


def test_a_patrol_cannot_be_logged_for_a_later_day(case_world, client):
    """Today's work is logged today: a date in the future is refused with a message."""
    client.force_login(case_world.worker_a1_user)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("fieldwork_patrols:add"),
        {"grid": case_world.grid_a1.pk, "date": tomorrow, "route": "东门", "minutes": "30"},
    )
    assert response.status_code == 400
    assert "不能登记以后日期的巡查" in response.content.decode()


def test_a_non_photo_is_refused(case_world, client):
    """A file that is not an image is refused, and nothing is saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(case_world.worker_a1_user)
    response = client.post(
        reverse("fieldwork_patrols:add"),
        {
            "grid": case_world.grid_a1.pk,
            "date": timezone.localdate().isoformat(),
            "route": "东门",
            "minutes": "30",
            "photos": [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert not Patrol.objects.exists()


def test_patrol_photo_is_served_only_to_staff_who_see_the_patrol(case_world, client, photo_upload):
    """The grid's worker gets the photo; a worker of another community gets a 404."""
    from feedback.intake.photos import clean_photo

    patrol = _patrol(case_world, photos=[clean_photo(photo_upload())])
    url = reverse("fieldwork_patrols:photo", args=[patrol.photos.get().pk])
    client.force_login(case_world.worker_a1_user)
    response = client.get(url)
    assert response.status_code == 200
    # Read through the test client's own wrapper, which closes the file; response.close() would
    # send request_finished, and Django would close the test's database connection with it.
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    client.force_login(case_world.worker_b1_user)
    assert client.get(url).status_code == 404


def test_other_grids_patrols_are_a_404(case_world, client):
    """A worker of another grid cannot open the patrol, nor see it in the list."""
    patrol = _patrol(case_world)
    client.force_login(case_world.worker_b1_user)
    assert client.get(reverse("fieldwork_patrols:edit", args=[patrol.pk])).status_code == 404
    listing = client.get(reverse("fieldwork_patrols:index"))
    assert patrol not in listing.context["object_list"]


def test_the_centre_sees_its_communitys_patrols_only(case_world, client):
    """Centre A sees grid A1's patrol; centre B does not."""
    patrol = _patrol(case_world)
    client.force_login(case_world.centre_a_user)
    assert client.get(reverse("fieldwork_patrols:edit", args=[patrol.pk])).status_code == 200
    client.force_login(case_world.centre_b_user)
    assert client.get(reverse("fieldwork_patrols:edit", args=[patrol.pk])).status_code == 404


def test_a_resident_cannot_reach_the_field_log(case_world, client):
    """A resident's account has no way into the field log."""
    _patrol(case_world)
    client.force_login(case_world.resident)
    response = client.get(reverse("fieldwork_patrols:index"))
    assert response.status_code in (302, 403)


def test_a_finding_becomes_a_case_owned_by_the_worker(case_world):
    """The case is filed from the patrol, in the patrol's grid, with the worker as first owner."""
    patrol = _patrol(case_world, findings=[("东门", "东门路灯不亮")])
    finding = patrol.findings.get()
    case = finding_to_case(
        finding,
        case_world.worker_a1_user,
        category=case_world.category,
        subject="东门路灯不亮",
        message="巡查发现东门路灯不亮，晚上出入不便。",
    )
    finding.refresh_from_db()
    assert (case.owner, case.source, case.grid) == (
        case_world.worker_a1_user,
        Source.PATROL,
        case_world.grid_a1,
    )
    assert (finding.outcome, finding.case) == (FindingOutcome.CASE, case)


def test_a_finding_becomes_a_case_only_once(case_world):
    """A second attempt is refused, so one finding never makes two cases."""
    finding = _patrol(case_world, findings=[("东门", "东门路灯不亮")]).findings.get()
    kwargs = {"category": case_world.category, "subject": "路灯", "message": "路灯不亮"}
    finding_to_case(finding, case_world.worker_a1_user, **kwargs)
    with pytest.raises(FindingError):
        finding_to_case(finding, case_world.worker_a1_user, **kwargs)


def test_finding_to_case_page_files_the_case(case_world, client):
    """Through the admin, the worker turns the finding into a case and sees its ticket."""
    finding = _patrol(case_world, findings=[("东门", "东门路灯不亮")]).findings.get()
    client.force_login(case_world.worker_a1_user)
    response = client.post(
        reverse("fieldwork_patrols:finding_case", args=[finding.pk]),
        {"category": case_world.category.pk, "subject": "东门路灯不亮", "message": "晚上很黑"},
        follow=True,
    )
    finding.refresh_from_db()
    assert finding.case.ticket_number in response.content.decode()


def test_a_finding_can_be_added_to_a_logged_patrol(case_world, client):
    """Something seen later on the round is added to the day's patrol."""
    patrol = _patrol(case_world)
    client.force_login(case_world.worker_a1_user)
    client.post(
        reverse("fieldwork_patrols:edit", args=[patrol.pk]),
        {"place": "菜市场", "description": "菜市场门口占道经营"},
    )
    assert PatrolFinding.objects.get().description == "菜市场门口占道经营"


def test_weekly_summary_is_generated_from_the_entries(case_world):
    """Two patrols and a finding in the week make the summary's numbers and text."""
    _patrol(case_world, date=MONDAY, minutes=60, findings=[("东门", "路灯不亮")])
    _patrol(case_world, date=MONDAY + dt.timedelta(days=1), minutes=90)
    summary = weekly_summary(case_world.grid_a1, MONDAY, today=MONDAY + dt.timedelta(days=6))
    assert (summary.patrols, summary.minutes, len(summary.findings)) == (2, 150, 1)
    assert summary.missing_days == [MONDAY + dt.timedelta(days=n) for n in (2, 3, 4)]
    assert "巡查2次" in summary.as_text()


def test_missing_entries_lists_grids_without_a_patrol_each_working_day(case_world):
    """On Monday only A2 is missing; on Tuesday both grids of community A are."""
    _patrol(case_world, date=MONDAY)
    grids = GridPage.objects.filter(pk__in=[case_world.grid_a1.pk, case_world.grid_a2.pk])
    days = missing_entries(grids, MONDAY, today=MONDAY + dt.timedelta(days=1))
    assert days == [
        (MONDAY, [case_world.grid_a2]),
        (MONDAY + dt.timedelta(days=1), [case_world.grid_a1, case_world.grid_a2]),
    ]


def test_missing_entries_page_shows_the_centres_grids(case_world, client):
    """The service centre sees its community's grid without a patrol, not another's."""
    client.force_login(case_world.centre_a_user)
    response = client.get(reverse("fieldwork_patrols:missing") + f"?week={MONDAY}")
    text = response.content.decode()
    assert "甲二网格" in text
    assert "乙一网格" not in text


def test_week_page_with_a_hostile_week_falls_back_to_this_week(case_world, client):
    """A malformed ?week= shows this week rather than an error."""
    client.force_login(case_world.worker_a1_user)
    response = client.get(reverse("fieldwork_patrols:week") + "?week=2026-99-99%00&grid=1e99")
    assert response.status_code == 200


def test_the_dashboard_tells_the_worker_todays_patrol_is_missing(case_world, client):
    """Before logging, the worker's dashboard says today's patrol is not logged; after, it is."""
    client.force_login(case_world.worker_a1_user)
    assert "还没有登记" in client.get("/admin/").content.decode()
    _patrol(case_world)
    assert "还没有登记" not in client.get("/admin/").content.decode()


def test_a_finding_solved_on_the_spot_is_logged_as_solved(case_world, client):
    """Ticking 已当场解决 records the finding as solved, with nothing left to hand on."""
    client.force_login(case_world.worker_a1_user)
    client.post(
        reverse("fieldwork_patrols:add"),
        {
            "grid": case_world.grid_a1.pk,
            "date": timezone.localdate().isoformat(),
            "route": "东门",
            "minutes": "30",
            "finding": "单元门上贴满小广告，已清理",
            "finding_solved": "on",
        },
    )
    assert PatrolFinding.objects.get().outcome == FindingOutcome.SOLVED


def test_another_grids_worker_cannot_turn_the_finding(case_world, client, social_security):
    """Turning someone else's finding into a case or a slip is a 404, and nothing happens."""
    finding = _patrol(case_world, findings=[("东门", "东门路灯不亮")]).findings.get()
    client.force_login(case_world.worker_b1_user)
    case_url = reverse("fieldwork_patrols:finding_case", args=[finding.pk])
    slip_url = reverse("fieldwork_patrols:finding_slip", args=[finding.pk])
    data = {"category": case_world.category.pk, "subject": "路灯", "message": "路灯不亮"}
    assert client.post(case_url, data).status_code == 404
    assert client.post(slip_url, {"line": social_security.pk, "subject": "x"}).status_code == 404
    finding.refresh_from_db()
    assert finding.outcome == FindingOutcome.NOTED


@pytest.mark.parametrize(
    "value", ["1e99", "99999999999999999999999", "-1", "\x00", "١٢", "' OR 1=1 --"]
)
def test_hostile_values_in_the_log_form_are_refused_calmly(case_world, client, value):
    """Any value in any field of the log form gives a form error, never a server error."""
    client.force_login(case_world.worker_a1_user)
    for name in ["grid", "date", "minutes", "route"]:
        data = {"grid": case_world.grid_a1.pk, "date": "2026-11-23", "route": "东门"}
        data["minutes"] = "30"
        data[name] = value
        assert client.post(reverse("fieldwork_patrols:add"), data).status_code in (302, 400)
