"""The admin: grid workers as snippets (leave periods inline) and the area/grid page forms."""

import pytest
from django.urls import reverse

from grids.models import GridWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(user)
    return client


def test_worker_list_and_edit_form_render(admin_client, workers):
    """The worker snippet list shows names; the edit form has the leave periods inline."""
    listing = admin_client.get(reverse("wagtailsnippets_grids_gridworker:list"))
    assert listing.status_code == 200
    assert "张敏" in listing.content.decode()
    edit = admin_client.get(reverse("wagtailsnippets_grids_gridworker:edit", args=[workers[0].pk]))
    html = edit.content.decode()
    assert edit.status_code == 200
    assert "leave_periods-TOTAL_FORMS" in html
    assert "不公开" in html


def test_centre_staff_can_record_leave(client, make_user, workers):
    """Service-centre staff can open a worker's edit form to record leave."""
    from portal import roles

    client.force_login(make_user("centre", roles.SERVICE_CENTRE_STAFF))
    url = reverse("wagtailsnippets_grids_gridworker:edit", args=[workers[0].pk])
    assert client.get(url).status_code == 200
    assert client.get(reverse("wagtailsnippets_grids_gridworker:add")).status_code in (302, 403)


def test_leave_ending_before_it_starts_is_refused(admin_client, workers):
    """A leave period whose end is before its start gets a message in the form."""
    worker = workers[0]
    url = reverse("wagtailsnippets_grids_gridworker:edit", args=[worker.pk])
    data = {
        "name": worker.name,
        "title": worker.title,
        "work_phone": worker.work_phone,
        "duties": worker.duties,
        "languages": worker.languages,
        "email": "",
        "user": "",
        "photo": "",
        "leave_periods-TOTAL_FORMS": "1",
        "leave_periods-INITIAL_FORMS": "0",
        "leave_periods-MIN_NUM_FORMS": "0",
        "leave_periods-MAX_NUM_FORMS": "1000",
        "leave_periods-0-starts_on": "2026-12-05",
        "leave_periods-0-ends_on": "2026-12-01",
        "leave_periods-0-reason": "",
        "leave_periods-0-ORDER": "1",
        "leave_periods-0-DELETE": "",
        "leave_periods-0-id": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert not GridWorker.objects.get(pk=worker.pk).leave_periods.exists()


def test_add_grid_form_shows_the_datum_help(admin_client, community):
    """The new-grid form renders and says which datum the boundary must use."""
    response = admin_client.get(f"/admin/pages/add/grids/gridpage/{community.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "WGS84" in html and "GCJ-02" in html
