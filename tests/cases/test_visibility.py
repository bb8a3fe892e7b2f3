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
    response = client.get("/admin/cases/?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
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


def _action_kinds():
    """Every kind of change the case page posts: one handler of the action view each."""
    from feedback.handling.inbox_actions import ActionView

    return sorted(name.removeprefix("do_") for name in dir(ActionView) if name.startswith("do_"))


def _status(response):
    if getattr(response, "file_to_stream", None):
        response.file_to_stream.close()  # a streamed photo's file
    return response.status_code


def test_every_case_view_is_not_found_for_another_grid(case_world, cases, client):
    """Each view of the inbox that names a case answers 404 to a worker of another grid, and
    each one serves the worker's own case: they all look in the same visible cases."""
    a1, b1 = cases["a1"], cases["b1"]
    photo_b1 = FeedbackPhoto(case=b1, content_type="image/jpeg")
    photo_b1.file.save("q.jpg", ContentFile(b"\xff\xd8\xff\xe0fakejpeg"), save=True)
    client.force_login(case_world.worker_b1_user)

    def answers(case, photo):
        base = f"/admin/cases/{case.pk}/"
        return [
            client.get(base).status_code,
            client.post(base + "contact/").status_code,
            _status(client.get(f"{base}photos/{photo.pk}/")),
            client.get(f"/admin/feedback/cases/{case.pk}/").status_code,
        ] + [
            client.post(base + "action/", {"kind": kind, "note": "越权"}).status_code
            for kind in _action_kinds()
        ]

    assert set(answers(a1, cases["photo"])) == {404}
    assert 404 not in answers(b1, photo_b1)
    a1.refresh_from_db()
    assert (a1.state, a1.owner, a1.public_reply) == ("received", None, "")
    assert not a1.field_log.exists() and not a1.extension_requests.exists()
    assert not ContactViewLog.objects.filter(case=a1).exists()


def test_every_action_kind_is_checked_above(case_world):
    """The action kinds the case page's forms post are exactly the action view's handlers."""
    import re
    from pathlib import Path

    from django.conf import settings

    template = Path(settings.BASE_DIR, "templates/feedback/admin/case.html").read_text()
    posted = set(re.findall(r'name="kind" value="(\w+)"', template))
    assert posted == set(_action_kinds())


def test_xlsx_export_leaves_out_other_grids(case_world, cases, client):
    """The XLSX export of the B1 worker lists B1's case only."""
    import io

    from openpyxl import load_workbook

    client.force_login(case_world.worker_b1_user)
    response = client.get("/admin/cases/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    subjects = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert subjects == ["乙一的诉求"]
