"""Lookup: normalising addresses, the index (text and point) and the public JSON endpoints."""

import datetime

import pytest
import time_machine

from grids.factories import ORIGIN, LeavePeriodFactory
from grids.lookup import find_by_point, find_by_text
from grids.lookup.normalise import normalise, pinyin_keys
from grids.models import GridAddress
from portal import versions

LON, LAT = ORIGIN

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("明华街东十九巷12号", "明华街东19巷12号"),
        ("明华街东19巷12号", "明华街东19巷12号"),
        ("明华街东１９巷１２号", "明华街东19巷12号"),
        ("明华街 东十九巷 十二号", "明华街东19巷12号"),
        ("希望家园3号楼", "希望家园3号"),
        ("希望家园三栋", "希望家园3号"),
        ("希望家园3幢", "希望家园3号"),
        ("希望家园3座", "希望家园3号"),
        ("希望家园3#楼", "希望家园3号"),
        ("希望街北一巷", "希望街北1巷"),
        ("一百零五号", "105号"),
        ("MingHua Jie", "minghuajie"),
    ],
)
def test_normalise(typed, expected):
    """Numerals, full-width digits, building words, spaces and case are normalised."""
    assert normalise(typed) == expected


def test_pinyin_keys_full_and_initials():
    """Places get full pinyin and initials, from the normalised text."""
    assert pinyin_keys(normalise("明华街东十九巷")) == ("minghuajiedong19xiang", "mhjd19x")


@pytest.fixture
def addressed(grid, east_grid):
    """Lane 明华街东十九巷 split between the grids at 20/21; compound 希望家园 in the second."""
    GridAddress.objects.create(grid=grid, place="明华街东十九巷", number_from=1, number_to=20)
    GridAddress.objects.create(grid=east_grid, place="明华街东十九巷", number_from=21, number_to=40)
    GridAddress.objects.create(grid=east_grid, place="希望家园", number_from=1, number_to=6)
    GridAddress.objects.create(grid=grid, place="希望街北一巷")
    east_grid.save_revision().publish()  # publishing rebuilds the index
    return grid, east_grid


@pytest.mark.parametrize(
    "typed", ["明华街东十九巷12号", "明华街东19巷12号", "北京市明华街东十九巷十二号"]
)
def test_address_with_number_finds_one_grid(addressed, typed):
    """A typed address with a house number finds the grid whose range holds it."""
    grid, _east = addressed
    assert [m.pk for m in find_by_text(typed)] == [grid.pk]


def test_number_in_the_other_range_finds_the_other_grid(addressed):
    """Number 25 of the same lane is in the second grid."""
    assert [m.pk for m in find_by_text("明华街东十九巷25号")] == [addressed[1].pk]


def test_building_words_find_a_compound_building(addressed):
    """希望家园三栋 and 希望家园3号楼 both find building 3 of the compound."""
    assert [m.pk for m in find_by_text("希望家园三栋")] == [addressed[1].pk]
    assert [m.pk for m in find_by_text("希望家园3号楼")] == [addressed[1].pk]


def test_place_without_number_lists_every_grid_on_it(addressed):
    """A lane shared by two grids gives both, to choose from."""
    assert {m.pk for m in find_by_text("明华街东十九巷")} == {g.pk for g in addressed}


@pytest.mark.parametrize("typed", ["minghuajie", "mhj", "xiwangjiayuan", "xwjy"])
def test_pinyin_finds_places(addressed, typed):
    """Full pinyin and initials find places."""
    assert find_by_text(typed)


def test_grid_code_and_name_find_the_grid(addressed):
    """A grid's code or its name finds it."""
    grid, _east = addressed
    assert [m.pk for m in find_by_text(grid.code)] == [grid.pk]
    assert [m.pk for m in find_by_text("第一网格")] == [grid.pk]


def test_unknown_address_finds_nothing(addressed):
    """An address in no grid finds nothing."""
    assert find_by_text("人民路100号") == []


def test_point_finds_the_containing_grid(addressed):
    """A point inside the east grid finds it; a point outside every grid finds nothing."""
    assert [m.pk for m in find_by_point(LAT + 0.005, LON + 0.007)] == [addressed[1].pk]
    assert find_by_point(LAT + 0.5, LON + 0.5) == []


def test_publishing_changes_the_version_and_rebuilds_the_index(addressed):
    """A new address published on a grid is found right after publishing."""
    grid, _east = addressed
    before = versions.current("grids")
    assert find_by_text("新开路3号") == []
    grid.addresses.add(GridAddress(place="新开路", number_from=1, number_to=9))
    revision = grid.save_revision()
    assert find_by_text("新开路3号") == []  # a draft changes nothing
    revision.publish()
    assert versions.current("grids") != before
    assert [m.pk for m in find_by_text("新开路3号")] == [grid.pk]


def test_api_text_lookup_returns_public_fields(client, addressed, workers):
    """The JSON answer has exactly code, name, url, area and on_duty, with the worker's phone."""
    response = client.get("/api/grids/lookup/", {"q": "明华街东十九巷12号"})
    assert response.status_code == 200
    data = response.json()
    assert data["answer"] == "exact"
    (result,) = data["results"]
    assert set(result) == {"code", "name", "url", "area", "on_duty", "match"}
    assert result["match"] == {
        "exact": True,
        "text": "明华街东十九巷 12号",
        "parts": ["street", "direction", "lane", "number"],
    }
    assert result["code"] == "110105001001001"
    assert result["name"] == "第一网格"
    assert result["url"] == "http://127.0.0.1:8000/minghua/minghua-community/grid-1/"
    assert result["area"] == ["明华街道", "明华社区"]
    assert result["on_duty"] == {
        "name": "张敏",
        "role": "primary",
        "phone": "13800000001",
        "photo_url": "",
    }


def test_api_shows_backup_while_primary_on_leave(client, addressed, workers):
    """While the primary is on leave the on-duty answer is the backup."""
    with time_machine.travel(datetime.datetime(2026, 11, 29, 10, tzinfo=datetime.UTC), tick=False):
        LeavePeriodFactory(
            worker=workers[0],
            starts_on=datetime.date(2026, 11, 28),
            ends_on=datetime.date(2026, 11, 30),
        )
        data = client.get("/api/grids/lookup/", {"q": "明华街东十九巷12号"}).json()
    assert data["results"][0]["on_duty"]["role"] == "backup"
    assert data["results"][0]["on_duty"]["name"] == "李强"


def test_api_point_lookup(client, addressed):
    """lat/lng inside a grid returns that grid; outside every grid, none and a message."""
    data = client.get("/api/grids/lookup/", {"lat": LAT + 0.005, "lng": LON + 0.002}).json()
    assert [r["code"] for r in data["results"]] == ["110105001001001"]
    outside = client.get("/api/grids/lookup/", {"lat": 30, "lng": 120})
    assert outside.status_code == 200
    assert outside.json()["results"] == []
    assert "不在" in outside.json()["message"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "巷" * 101},
        {"lat": "abc", "lng": "116"},
        {"lat": "39.9"},
        {"lng": "116.4"},
        {"lat": "91", "lng": "116"},
        {"lat": "39.9", "lng": "-181"},
        {"lat": "nan", "lng": "116"},
        {"q": "明华", "lat": "39.9", "lng": "116.4"},
    ],
)
def test_api_bad_parameters_get_400_with_a_message(client, params):
    """Missing, empty, too long or out-of-range parameters get 400 and a message."""
    response = client.get("/api/grids/lookup/", params)
    assert response.status_code == 400
    assert response.json()["error"]


def test_api_area_geojson(client, community, grid, east_grid):
    """The area's grids come back as a FeatureCollection with public properties."""
    response = client.get(f"/api/areas/{community.code}.geojson")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == [grid.code, east_grid.code]
    assert data["features"][0]["geometry"]["type"] == "Polygon"
    assert set(data["features"][0]["properties"]) == {"code", "name", "url", "level", "households"}


def test_api_unknown_area_is_404_json(client):
    """An unknown area code answers 404 with a message."""
    response = client.get("/api/areas/NOPE.geojson")
    assert response.status_code == 404
    assert "NOPE" in response.json()["error"]


def test_lookup_page_lists_several_matches_to_choose(client, addressed):
    """A lane in two grids shows both, each with its on-duty worker and call link."""
    html = client.get("/grids/lookup/", {"q": "明华街东十九巷"}).content.decode()
    assert "找到2个网格，请选择" in html
    assert "第一网格" in html and "第二网格" in html
    assert 'href="tel:13800000001"' in html


def test_lookup_page_without_match_gives_the_centre_phone(client, addressed, site):
    """No match: a helpful message with the service centre's phone."""
    from portal.models import SiteSettings

    settings = SiteSettings.for_site(site)
    settings.phone = "010-6543 2100"
    settings.save()
    html = client.get("/grids/lookup/", {"q": "人民路100号"}).content.decode()
    assert "没有找到" in html
    assert "010-6543 2100" in html


def test_lookup_page_bad_input_gets_a_message_not_an_error(client):
    """A bad location shows a message on the page with status 400."""
    response = client.get("/grids/lookup/", {"lat": "x", "lng": "y"})
    assert response.status_code == 400
    assert "必须是数字" in response.content.decode()


def test_home_page_has_the_lookup_box(client):
    """The home page shows the lookup box that submits to the lookup page."""
    html = client.get("/").content.decode()
    assert 'action="/grids/lookup/"' in html
    assert "查找我所在的网格" in html


def test_index_follows_the_shared_version(addressed):
    """When another process bumps the shared version, this process rebuilds its index."""
    from grids.lookup.index import get_index
    from portal.models import DataVersion

    first = get_index()
    assert get_index() is first  # unchanged version: the same index, no rebuild
    # as another process does after publishing
    DataVersion.objects.filter(name="grids").update(version=versions.current("grids") + 1)
    assert get_index() is not first


def test_lookup_page_in_english(client, addressed):
    """With English chosen, the lookup page and its answers are in English."""
    client.cookies["portal_language"] = "en"
    html = client.get("/grids/lookup/", {"q": "明华街东十九巷12号"}).content.decode()
    assert "Which grid am I in?" in html
    assert "Call 张敏&#x27;s work phone" in html or "Call 张敏's work phone" in html


def test_saving_a_draft_does_not_rebuild_the_index(addressed):
    """Only publishing changes the tree version; a draft revision of a live grid does not."""
    grid, _east = addressed
    before = versions.current("grids")
    grid.title = "改名草稿"
    grid.save_revision()
    assert versions.current("grids") == before


def test_api_near_miss_gives_candidates_with_what_matched(client, addressed):
    """The 东 left out: a candidate, not an exact answer, and the direction is not matched."""
    data = client.get("/api/grids/lookup/", {"q": "明华街十九巷6号"}).json()
    assert data["answer"] == "candidates"
    (result,) = data["results"]
    assert result["name"] == "第一网格"
    assert result["match"]["exact"] is False
    assert result["match"]["parts"] == ["street", "lane", "number"]


def test_lookup_page_asks_to_confirm_a_near_miss(client, addressed):
    """A near miss is shown as a question, with the worker to call and what matched."""
    html = client.get("/grids/lookup/", {"q": "明华街十九巷6号"}).content.decode()
    assert "地址没有完全匹配，请确认是不是这个网格" in html
    assert "找到您所在的网格" not in html
    assert "已匹配：街名、巷、门牌号" in html
    assert 'href="tel:13800000001"' in html
