"""The tiling rule on publish: refused in the admin with the places named, and in publish()."""

import json

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from grids.factories import ORIGIN, GridPageFactory, box
from grids.models import GridPage, TilingError
from grids.tiling import area_gaps, publish_problems

LON, LAT = ORIGIN

pytestmark = pytest.mark.django_db


def draft(page, **changes):
    """Save a revision of `page` with the changes, without publishing it."""
    for name, value in changes.items():
        setattr(page, name, value)
    return page.save_revision()


def test_overlapping_a_published_sibling_is_refused(grid, east_grid):
    """Widening a grid into its neighbour refuses publishing and names both grids and m²."""
    revision = draft(east_grid, boundary=box(LON + 0.004, LAT, LON + 0.01, LAT + 0.01))
    with pytest.raises(TilingError) as raised:
        revision.publish()
    text = " ".join(raised.value.messages)
    assert "110105001001002（第二网格）与110105001001001（第一网格）重叠" in text
    assert "平方米" in text
    east_grid.refresh_from_db()
    assert east_grid.min_lon == pytest.approx(LON + 0.005)


def test_first_grid_of_an_area_may_be_published(community):
    """A half-divided area has a gap, but publishing a new grid only shrinks it."""
    new = GridPageFactory(
        parent=community, live=False, boundary=box(LON, LAT, LON + 0.005, LAT + 0.01)
    )
    new.save_revision().publish()
    new.refresh_from_db()
    assert new.live
    assert [g.kind for g in area_gaps(community)] == ["gap"]


def test_opening_a_gap_in_a_tiled_area_is_refused(grid, east_grid):
    """Shrinking a grid of a fully tiled area would uncover land: refused as a gap."""
    revision = draft(grid, boundary=box(LON, LAT, LON + 0.004, LAT + 0.01))
    with pytest.raises(TilingError) as raised:
        revision.publish()
    assert "缺口" in " ".join(raised.value.messages)


def test_grid_reaching_outside_its_area_is_refused(grid, east_grid):
    """A grid may not extend beyond its area."""
    revision = draft(east_grid, boundary=box(LON + 0.005, LAT, LON + 0.012, LAT + 0.01))
    with pytest.raises(TilingError) as raised:
        revision.publish()
    assert "超出上级区域" in " ".join(raised.value.messages)


def test_area_shrinking_away_from_its_grids_is_refused(community, grid, east_grid):
    """An area whose new boundary leaves a published grid outside cannot be published."""
    revision = draft(community, boundary=box(LON, LAT, LON + 0.008, LAT + 0.01))
    problems = publish_problems(revision.as_object())
    assert any(p.kind == "outside" and p.codes[0].startswith("110105001001002") for p in problems)


def test_unchanged_tiled_grid_publishes(grid, east_grid):
    """Publishing a grid of a tiled area without moving its boundary is accepted."""
    grid.households = 199
    grid.save_revision().publish()
    assert GridPage.objects.get(pk=grid.pk).households == 199


def edit_data(grid, boundary, action="action-publish"):
    data = nested_form_data(
        {
            "title": grid.title,
            "slug": grid.slug,
            "code": grid.code,
            "level": "",
            "households": 180,
            "population": 420,
            "description": "",
            "service_hours": "",
            "primary_worker": grid.primary_worker_id or "",
            "backup_worker": grid.backup_worker_id or "",
            "addresses": inline_formset([]),
            "team_members": inline_formset([]),
            "comments": inline_formset([]),
            "boundary": boundary if isinstance(boundary, str) else json.dumps(boundary),
        }
    )
    data[action] = "1"
    return data


def test_admin_refuses_to_publish_an_overlap_and_says_why(
    client, grid, east_grid, django_user_model
):
    """The admin edit form shows the overlap under the boundary field and publishes nothing."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    url = f"/admin/pages/{east_grid.pk}/edit/"
    response = client.post(url, edit_data(east_grid, box(LON + 0.004, LAT, LON + 0.01, LAT + 0.01)))
    assert response.status_code == 200
    html = response.content.decode()
    assert "不能发布" in html
    assert "重叠" in html
    east_grid.refresh_from_db()
    assert east_grid.min_lon == pytest.approx(LON + 0.005)


def test_admin_saves_a_draft_that_would_not_tile(client, grid, east_grid, django_user_model):
    """A draft may hold a boundary that does not tile yet; only publishing is refused."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    url = f"/admin/pages/{east_grid.pk}/edit/"
    data = edit_data(
        east_grid, box(LON + 0.004, LAT, LON + 0.01, LAT + 0.01), action="action-draft"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    east_grid.refresh_from_db()
    assert (
        east_grid.get_latest_revision().content["boundary"]["coordinates"][0][0][0] == LON + 0.004
    )


@pytest.mark.parametrize(
    ("boundary", "expected"),
    [
        ("{not json", "JSON"),
        (
            {"type": "Polygon", "coordinates": [[[LON, LAT], [LON + 0.01, LAT], [LON, LAT]]]},
            "至少需要4个点",
        ),
    ],
)
def test_admin_shows_geometry_errors(client, grid, django_user_model, boundary, expected):
    """Broken JSON or geometry gets a message in the form, never a server error."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    response = client.post(f"/admin/pages/{grid.pk}/edit/", edit_data(grid, boundary))
    assert response.status_code == 200
    assert expected in response.content.decode()


def test_admin_warns_about_remaining_gaps_after_publishing(client, community, django_user_model):
    """Publishing the first grid of an area succeeds and warns that the area is not covered yet."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    new = GridPageFactory(
        parent=community,
        live=False,
        code="110105001001009",
        boundary=box(LON, LAT, LON + 0.005, LAT + 0.01),
    )
    response = client.post(
        f"/admin/pages/{new.pk}/edit/",
        edit_data(new, box(LON, LAT, LON + 0.005, LAT + 0.01)),
        follow=True,
    )
    assert GridPage.objects.get(pk=new.pk).live
    assert "尚未被下级完全覆盖" in response.content.decode()


def test_admin_refuses_a_grid_code_not_starting_with_the_area_code(client, grid, django_user_model):
    """A grid code must be its area's code plus a sequence."""
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 12)
    client.force_login(admin)
    data = edit_data(grid, box(LON, LAT, LON + 0.005, LAT + 0.01))
    data["code"] = "999001"
    response = client.post(f"/admin/pages/{grid.pk}/edit/", data)
    assert response.status_code == 200
    assert "网格编码应以上级区域的编码110105001001开头" in response.content.decode()
