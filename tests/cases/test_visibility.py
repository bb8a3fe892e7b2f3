"""Who sees what: list, case page, photos and exports, against a worker of another grid."""

import pytest
from django.core.files.base import ContentFile

from feedback.handling.visibility import visible_cases
from feedback.models import ContactViewLog, FeedbackPhoto

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(case_world):
    """One case in each of grids A1, A2 and B1, and one with only community A."""
    a1 = case_world.case(case_world.grid_a1, subject="甲一的诉求")
    a2 = case_world.case(case_world.grid_a2, subject="甲二的诉求")
    b1 = case_world.case(case_world.grid_b1, subject="乙一的诉求")
    area_only = case_world.case(case_world.grid_a1, subject="只知道社区的诉求")
    area_only.grid = None
    area_only.save()
    photo = FeedbackPhoto(case=a1, content_type="image/jpeg")
    photo.file.save("p.jpg", ContentFile(b"\xff\xd8\xff\xe0fakejpeg"), save=True)
    return {"a1": a1, "a2": a2, "b1": b1, "area_only": area_only, "photo": photo}


def _subjects(user):
    return set(visible_cases(user).values_list("subject", flat=True))


def test_grid_worker_sees_only_their_grids(case_world, cases):
    """The A1 worker sees A1's case only; the B1 worker sees B1's only."""
    assert _subjects(case_world.worker_a1_user) == {"甲一的诉求"}
    assert _subjects(case_world.worker_b1_user) == {"乙一的诉求"}


def test_backup_worker_sees_the_grid(case_world, cases):
    """The backup (B岗) of A1 sees A1's cases too."""
    assert _subjects(case_world.backup_user) == {"甲一的诉求"}


def test_centre_sees_its_community_subtree(case_world, cases):
    """Community A's centre sees every case of community A and none of B."""
    assert _subjects(case_world.centre_a_user) == {"甲一的诉求", "甲二的诉求", "只知道社区的诉求"}
    assert _subjects(case_world.centre_b_user) == {"乙一的诉求"}


def test_administrator_sees_all_and_resident_none(case_world, cases):
    """Administrators see every case; a resident sees none."""
    assert len(_subjects(case_world.admin)) == 4
    assert _subjects(case_world.resident) == set()


def test_inbox_list_hides_other_grids(case_world, cases, client):
    """The admin list shows the worker's own case and not another grid's."""
    client.force_login(case_world.worker_b1_user)
    html = client.get("/admin/cases/").content.decode()
    assert "乙一的诉求" in html and "甲一的诉求" not in html


def test_case_page_of_other_grid_is_not_found(case_world, cases, client):
    """The B1 worker gets 404 for A1's case page; the A1 worker gets it."""
    client.force_login(case_world.worker_b1_user)
    assert client.get(f"/admin/cases/{cases['a1'].pk}/").status_code == 404
    client.force_login(case_world.worker_a1_user)
    response = client.get(f"/admin/cases/{cases['a1'].pk}/")
    assert response.status_code == 200 and "甲一的诉求" in response.content.decode()


def test_photo_of_other_grid_is_not_served(case_world, cases, client):
    """A1's photo is refused to the B1 worker and served to the A1 worker."""
    url = f"/admin/cases/{cases['a1'].pk}/photos/{cases['photo'].pk}/"
    client.force_login(case_world.worker_b1_user)
    assert client.get(url).status_code == 404
    client.force_login(case_world.worker_a1_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    assert ContactViewLog.objects.filter(case=cases["a1"], what="photo").count() == 1


def test_export_of_other_worker_leaves_out_other_grids(case_world, cases, client):
    """The CSV export contains only cases the account may see, and no contact details."""
    client.force_login(case_world.worker_b1_user)
    body = client.get("/admin/cases/export/cases.csv").content.decode("utf-8-sig")
    assert "乙一的诉求" in body and "甲一的诉求" not in body
    assert "13912345678" not in body and "chen@example.org" not in body


def test_statistics_export_within_visibility(case_world, cases, client):
    """The statistics CSV of the B1 worker lists grid B1 only."""
    client.force_login(case_world.worker_b1_user)
    body = client.get("/admin/cases/export/statistics.csv").content.decode("utf-8-sig")
    assert "乙一网格" in body and "甲一网格" not in body


def test_actions_on_other_grid_case_are_refused(case_world, cases, client):
    """A worker of another grid cannot post an action to A1's case."""
    client.force_login(case_world.worker_b1_user)
    response = client.post(
        f"/admin/cases/{cases['a1'].pk}/action/", {"kind": "reply", "reply": "越权"}
    )
    assert response.status_code == 404
    cases["a1"].refresh_from_db()
    assert cases["a1"].public_reply == ""


def test_contact_details_hidden_until_asked_and_logged(case_world, cases, client):
    """The case page hides contact details; asking shows them and logs who and when."""
    client.force_login(case_world.worker_a1_user)
    html = client.get(f"/admin/cases/{cases['a1'].pk}/").content.decode()
    assert "13912345678" not in html
    assert not ContactViewLog.objects.exists()
    html = client.post(f"/admin/cases/{cases['a1'].pk}/contact/").content.decode()
    assert "13912345678" in html and "chen@example.org" in html
    log = ContactViewLog.objects.get()
    assert (log.case, log.user, log.what) == (cases["a1"], case_world.worker_a1_user, "contact")
    assert log.at is not None


def test_contact_of_other_grid_case_not_shown_or_logged(case_world, cases, client):
    """A worker of another grid cannot open the contact details and nothing is logged."""
    client.force_login(case_world.worker_b1_user)
    response = client.post(f"/admin/cases/{cases['a1'].pk}/contact/")
    assert response.status_code == 404
    assert not ContactViewLog.objects.exists()
