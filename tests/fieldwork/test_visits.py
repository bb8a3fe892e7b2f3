"""Household visits: recording one, the A and B posts together, the follow-up after a poor
rating as a visit, the reminders of visits due again, and who sees which visits."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from post_office.models import Email

from feedback.models import FollowUp
from fieldwork.models import Visit, VisitPurpose
from fieldwork.visiting import due_visits, remind_due_visits
from portal.calendar import add_working_days

pytestmark = pytest.mark.django_db


def _visit(w, **fields):
    fields.setdefault("grid", w.grid_a1)
    fields.setdefault("address", "3号楼2单元501")
    fields.setdefault("visitor", w.worker_a1_user)
    return Visit.objects.create(**fields)


def test_the_form_proposes_the_grids_backup_as_companion(case_world, client):
    """A and B go together: the grid's other post is already filled in as companion."""
    client.force_login(case_world.worker_a1_user)
    form = client.get(reverse("fieldwork_visits:add")).context["form"]
    assert form.initial["grid"] == case_world.grid_a1.pk
    assert form.initial["companion"] == case_world.backup_user.pk


def test_a_worker_records_a_visit(case_world, client):
    """The visit is saved with the worker as visitor and the follow-up date."""
    client.force_login(case_world.worker_a1_user)
    today = timezone.localdate()
    response = client.post(
        reverse("fieldwork_visits:add"),
        {
            "grid": case_world.grid_a1.pk,
            "address": "3号楼2单元501",
            "date": today.isoformat(),
            "companion": case_world.backup_user.pk,
            "purpose": VisitPurpose.ROUTINE,
            "outcome": "老人身体还好，反映楼道灯坏了。",
            "follow_up_on": (today + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    visit = Visit.objects.get()
    assert (visit.visitor, visit.companion) == (case_world.worker_a1_user, case_world.backup_user)


def test_the_follow_up_date_must_come_after_the_visit(case_world, client):
    """A follow-up date on or before the visit is refused with a message."""
    client.force_login(case_world.worker_a1_user)
    today = timezone.localdate()
    response = client.post(
        reverse("fieldwork_visits:add"),
        {
            "grid": case_world.grid_a1.pk,
            "address": "3号楼",
            "date": today.isoformat(),
            "purpose": VisitPurpose.ROUTINE,
            "follow_up_on": today.isoformat(),
        },
    )
    assert "再次走访日期应在走访日期之后" in response.content.decode()
    assert not Visit.objects.exists()


def test_visitor_and_companion_are_two_people(case_world):
    """The database refuses a visit whose companion is its visitor."""
    with pytest.raises(IntegrityError):
        _visit(case_world, companion=case_world.worker_a1_user)


def test_the_follow_up_after_a_poor_rating_is_recorded_as_a_visit(case_world, client):
    """Opened from the follow-up, the visit form is filled with its case and purpose."""
    case = case_world.case(place="5号楼东侧")
    follow_up = FollowUp.objects.create(case=case, due_at=timezone.now() + dt.timedelta(days=3))
    client.force_login(case_world.worker_a1_user)
    url = reverse("fieldwork_visits:add") + f"?follow_up={follow_up.pk}"
    initial = client.get(url).context["form"].initial
    assert (initial["follow_up"], initial["case"], initial["purpose"]) == (
        follow_up.pk,
        case.pk,
        VisitPurpose.POOR_RATING,
    )
    assert initial["address"] == "5号楼东侧"


def test_a_visit_due_again_is_listed_until_it_is_followed_up(case_world):
    """Due by the next working day, and no longer once a later visit names it."""
    today = timezone.localdate()
    visit = _visit(case_world, date=today - dt.timedelta(days=7), follow_up_on=today)
    assert list(due_visits(today)) == [visit]
    _visit(case_world, date=today, previous=visit)
    assert list(due_visits(today)) == []


def test_a_due_visit_is_reminded_once(case_world):
    """The visitor and companion get one reminder, and none on the next run."""
    today = timezone.localdate()
    _visit(
        case_world,
        date=today - dt.timedelta(days=7),
        follow_up_on=add_working_days(today, 1),
        companion=case_world.backup_user,
    )
    assert remind_due_visits() == 1
    assert remind_due_visits() == 0
    assert Email.objects.get().to == ["a1@example.org", "bk@example.org"]


def test_a_visit_not_yet_due_is_not_reminded(case_world):
    """A visit two weeks away gets no reminder today."""
    today = timezone.localdate()
    _visit(case_world, date=today, follow_up_on=today + dt.timedelta(days=14))
    assert remind_due_visits() == 0


def test_another_grids_worker_cannot_open_a_visit(case_world, client):
    """A worker of another community gets a 404 for the visit; the grid's worker opens it."""
    visit = _visit(case_world)
    url = reverse("fieldwork_visits:edit", args=[visit.pk])
    client.force_login(case_world.worker_b1_user)
    assert client.get(url).status_code == 404
    client.force_login(case_world.worker_a1_user)
    assert client.get(url).status_code == 200


def test_the_companion_sees_the_visit_they_went_on(case_world, client):
    """A companion from a neighbouring grid sees the visit in their list."""
    visit = _visit(case_world, companion=case_world.worker_b1_user)
    client.force_login(case_world.worker_b1_user)
    listing = client.get(reverse("fieldwork_visits:index"))
    assert visit in listing.context["object_list"]


def test_a_follow_up_visit_can_be_edited_after_the_follow_up_is_done(case_world, client):
    """The visit keeps its link to a completed follow-up when it is opened and saved again."""
    case = case_world.case(place="5号楼东侧")
    follow_up = FollowUp.objects.create(
        case=case, due_at=timezone.now(), completed_at=timezone.now()
    )
    visit = _visit(case_world, purpose=VisitPurpose.POOR_RATING, case=case, follow_up=follow_up)
    client.force_login(case_world.worker_a1_user)
    url = reverse("fieldwork_visits:edit", args=[visit.pk])
    form = client.get(url).context["form"]
    data = {
        "grid": case_world.grid_a1.pk,
        "address": visit.address,
        "date": visit.date.isoformat(),
        "purpose": VisitPurpose.POOR_RATING,
        "outcome": "整改后再次听取意见，居民表示满意。",
        "case": case.pk,
        "follow_up": follow_up.pk,
    }
    assert follow_up in form.fields["follow_up"].queryset
    assert client.post(url, data).status_code == 302
    visit.refresh_from_db()
    assert visit.outcome == "整改后再次听取意见，居民表示满意。"
