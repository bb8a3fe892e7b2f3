"""City scale: pages narrow by area, maps draw children, the import writes in batches.

The world: a subdistrict of 3 communities × 30 grids (grids.citygen), written by the importer.
"""

import json
import re

import pytest
from django.core.management import call_command
from wagtail.models import Page

from feedback.factories import FeedbackFormPageFactory
from feedback.models import Feedback, FeedbackCategory
from grids import importer
from grids.citygen import CityShape, features
from grids.enums import COMMUNITY_LEVELS
from grids.importer import apply_plan, make_plan
from grids.models import AreaPage, GridAddress, GridPage
from notices.factories import NoticeIndexPageFactory
from notices.models import NoticePage

pytestmark = pytest.mark.django_db

SHAPE = CityShape(subdistricts=1, communities=3, grids=30)


def shifted(items, degrees):
    """The features moved east by `degrees`, so a second city lies beside the first."""

    def move(value):
        if value and isinstance(value[0], float):
            return [value[0] + degrees, value[1]]
        return [move(v) for v in value]

    for feature in items:
        geometry = feature["geometry"]
        yield {**feature, "geometry": {**geometry, "coordinates": move(geometry["coordinates"])}}


def import_city(shape=SHAPE, code="110199", east=0.0, batch_size=40):
    plan = make_plan(shifted(features(shape, district_code=code), east))
    assert plan.ok, [e for item in plan.items for e in item.errors]
    return apply_plan(plan, batch_size=batch_size)


@pytest.fixture
def city(site):
    import_city()
    communities = list(
        AreaPage.objects.filter(level__in=COMMUNITY_LEVELS, code__startswith="110199").order_by(
            "code"
        )
    )
    return communities


@pytest.fixture
def form_page(home_page):
    page = FeedbackFormPageFactory.build(slug="feedback", title="我要反映")
    home_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def codes_in(html):
    """The grid codes the HTML names as （code）."""
    return set(re.findall(r"（(110199\d{9})）", html))


def grid_codes(community):
    return set(GridPage.objects.descendant_of(community).values_list("code", flat=True))


def test_form_lists_only_the_chosen_communitys_grids(client, city, form_page):
    """With ?community= the form's grid list holds that community's grids and no other."""
    first = city[0]
    html = client.get(f"/feedback/?community={first.pk}").content.decode()
    assert codes_in(html) == grid_codes(first)


def test_form_without_a_community_lists_communities_not_grids(client, city, form_page):
    """The plain form offers the communities (grid unknown) and a community step, no grids."""
    html = client.get("/feedback/").content.decode()
    assert codes_in(html) == set()
    for community in city:
        label = f"示范第1街道 · {community.title}"
        assert f'<option value="c{community.pk}">不清楚具体网格（{label}）' in html
        assert f'<option value="{community.pk}">{label}</option>' in html
    assert '<form id="grid-community-form" method="get"' in html
    assert '<label for="grid-community">' in html


def test_form_accepts_a_grid_of_another_community(client, city, form_page):
    """A grid the address lookup set from outside the listed community is still accepted."""
    grid = GridPage.objects.descendant_of(city[2]).first()
    category = FeedbackCategory.objects.filter(active=True).first()
    data = {
        "category": str(category.pk),
        "grid": f"g{grid.pk}",
        "subject": "路灯不亮",
        "message": "小区门口的路灯坏了三天。",
    }
    response = client.post(f"/feedback/?community={city[0].pk}", data)
    assert response.status_code == 302
    case = Feedback.objects.get()
    assert (case.grid_id, case.community_id) == (grid.pk, city[2].pk)


def test_a_form_sent_back_lists_the_chosen_grids_community(client, city, form_page):
    """A rejected form lists the community of the grid the resident chose, that grid selected."""
    grid = GridPage.objects.descendant_of(city[1]).order_by("code").last()
    response = client.post("/feedback/", {"grid": f"g{grid.pk}", "subject": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert codes_in(html) == grid_codes(city[1])
    assert f'<option value="g{grid.pk}" selected>' in html


def test_statistics_list_only_the_chosen_communitys_grids(client, city):
    """With ?community= the statistics select and table hold that community's grids only."""
    html = client.get(f"/statistics/?community={city[0].pk}").content.decode()
    grid_pks = set(GridPage.objects.descendant_of(city[0]).values_list("pk", flat=True))
    listed = {
        int(pk)
        for pk in re.findall(
            r'<option value="(\d+)"', html.split('id="stats-grid"')[1].split("</select>")[0]
        )
    }
    assert listed == grid_pks
    assert {int(pk) for pk in re.findall(r'href="\?grid=(\d+)"', html)} == grid_pks


def test_statistics_without_a_community_list_communities(client, city):
    """The plain statistics page has a community select and per-community totals, no grids."""
    html = client.get("/statistics/").content.decode()
    assert 'id="stats-grid"' not in html
    assert "?grid=" not in html
    for community in city:
        assert f'href="?community={community.pk}"' in html


def test_subdistrict_map_draws_its_communities_not_their_grids(client, city):
    """The subdistrict's map links its 3 communities and none of the 90 grids below them."""
    subdistrict = AreaPage.objects.get(code="110199001")
    html = client.get(subdistrict.url).content.decode()
    svg = html[html.index('<svg class="grid-map"') : html.index("</svg>")]
    links = re.findall(r'<a href="([^"]+)"', svg)
    assert sorted(links) == sorted(community.url for community in city)


@pytest.mark.parametrize("url", ["form", "form?community", "statistics", "statistics?community"])
def test_page_size_does_not_grow_with_grids_elsewhere(client, city, form_page, url):
    """Adding 200 grids in other communities adds at most 1 KB (their community's name)."""
    first = city[0]
    urls = {
        "form": "/feedback/",
        "form?community": f"/feedback/?community={first.pk}",
        "statistics": "/statistics/",
        "statistics?community": f"/statistics/?community={first.pk}",
    }
    before = len(client.get(urls[url]).content)
    import_city(CityShape(1, 2, 100), code="110198", east=1.0)
    assert GridPage.objects.count() == 290
    after = len(client.get(urls[url]).content)
    assert after - before < 1024


def test_import_writes_every_page_in_a_valid_tree(city):
    """The bulk-written pages form a sound tree: paths, depths and child counts agree."""
    assert GridPage.objects.live().count() == 90
    assert all(not problems for problems in Page.find_problems())
    assert AreaPage.objects.get(code="110199001").get_children().count() == 3


def test_a_failure_in_a_later_batch_keeps_the_earlier_ones(site, monkeypatch):
    """Batches before a failure stay written; importing the same file again completes it."""
    real_flush, calls = importer._flush, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return real_flush(*args)

    monkeypatch.setattr(importer, "_flush", failing)
    with pytest.raises(RuntimeError):
        import_city(batch_size=30)
    written = GridPage.objects.count()
    assert 0 < written < 90
    monkeypatch.setattr(importer, "_flush", real_flush)
    import_city(batch_size=30)
    assert GridPage.objects.count() == 90
    assert all(not problems for problems in Page.find_problems())


def test_import_writes_addresses_in_bulk(site):
    """Each new grid gets the address rows the CSV gives it, in order."""
    plan = make_plan(
        features(SHAPE), {"110199001001001": [("明华街", 1, 9), ("希望巷", None, None)]}
    )
    apply_plan(plan, batch_size=25)
    grid = GridPage.objects.get(code="110199001001001")
    rows = [(a.place, a.number_from, a.number_to) for a in grid.addresses.all()]
    assert rows == [("明华街", 1, 9), ("希望巷", None, None)]
    assert GridAddress.objects.count() == 2


def test_dry_run_writes_nothing(site, tmp_path):
    """import_grids without --commit writes no page, however many batches the file needs."""
    path = tmp_path / "city.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features(SHAPE))}))
    call_command("import_grids", str(path), "--batch", "10", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not AreaPage.objects.filter(code__startswith="110199").exists()
    assert not GridPage.objects.exists()


def test_generate_city_writes_grids_addresses_and_notices(home_page):
    """generate_city makes the city, its address rows and notices aimed at its grids."""
    NoticeIndexPageFactory(parent=home_page, slug="notices")
    call_command(
        "generate_city",
        "--grids",
        "30",
        "--addresses",
        "60",
        "--notices",
        "7",
        "--batch",
        "8",
        stdout=open("/dev/null", "w"),  # noqa: SIM115
    )
    assert GridPage.objects.live().count() == 30
    assert GridAddress.objects.count() == 60
    notices = NoticePage.objects.live()
    assert notices.count() == 7
    assert all(notice.target_grids.count() == 1 for notice in notices)


def notice_grid_options(html):
    if 'id="filter-grid"' not in html:
        return set()
    select = html.split('id="filter-grid"')[1].split("</select>")[0]
    return set(re.findall(r'<option value="(110199\d{9})"', select))


def test_notice_filter_narrows_by_community_beyond_its_limit(client, city, home_page, monkeypatch):
    """With more targeted grids than the limit, the notice list offers communities first, then
    only the chosen community's grids."""
    from notices import citygen
    from notices.models import notices as notice_models

    index = NoticeIndexPageFactory(parent=home_page, slug="notices")
    citygen.generate_notices(60)
    monkeypatch.setattr(notice_models, "GRID_FILTER_MAX", 10)
    plain = client.get(index.url).content.decode()
    assert notice_grid_options(plain) == set()
    assert all(f'<option value="{c.pk}">示范第1街道 · {c.title}</option>' in plain for c in city)
    chosen = client.get(f"{index.url}?community={city[1].pk}").content.decode()
    targeted = set(
        GridPage.objects.descendant_of(city[1])
        .filter(targeted_notices__isnull=False)
        .values_list("code", flat=True)
    )
    assert targeted and notice_grid_options(chosen) == targeted


def test_a_code_whose_address_is_taken_is_refused(home_page):
    """A new top area whose code (lower case) is a sibling page's slug is refused, not doubled."""
    home_page.add_child(
        instance=AreaPage(
            title="旧页", slug="110199001", code="X1", boundary=next(features(SHAPE))["geometry"]
        )
    )
    plan = make_plan(features(SHAPE))
    assert not plan.ok
    (item,) = [item for item in plan.items if item.errors]
    assert item.code == "110199001" and "已被同一上级下的另一个页面使用" in item.errors[0]


def test_form_finds_the_grid_by_address_without_javascript(client, site, form_page):
    """?address= (the community step's address box) selects the grid and lists its community."""
    grid_code = "110199001002005"
    plan = make_plan(features(SHAPE), {grid_code: [("明华街", 1, 20)]})
    apply_plan(plan)
    grid = GridPage.objects.get(code=grid_code)
    html = client.get("/feedback/", {"address": "明华街5号"}).content.decode()
    assert f'<option value="g{grid.pk}" selected>' in html
    assert codes_in(html) == grid_codes(AreaPage.objects.get(code="110199001002"))
    assert f"已找到：{grid.title}（{grid_code}）" in html
