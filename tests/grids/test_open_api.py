"""The public read-only APIs (lookup, GeoJSON) as other sites call them: CORS, OPTIONS, 405 for
writes, conditional GET, Cache-Control, absolute links on the public address, a grid's GeoJSON."""

import pytest
from django.test import Client, override_settings

from grids.factories import ORIGIN

LON, LAT = ORIGIN
pytestmark = pytest.mark.django_db
PUBLIC = "https://grid.example.gov.cn"


@pytest.fixture
def urls(grid, east_grid):
    community = grid.get_parent().specific
    return {
        "lookup": f"/api/grids/lookup/?lat={LAT + 0.005}&lng={LON + 0.002}",
        "area": f"/api/areas/{community.code}.geojson",
        "grid": f"/api/areas/{grid.code}.geojson",
    }


@pytest.mark.parametrize("name", ["lookup", "area", "grid"])
def test_any_origin_may_read(client, urls, name):
    response = client.get(urls[name], HTTP_ORIGIN="https://map.example.com")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.parametrize("name", ["lookup", "area"])
def test_options_is_answered_for_a_preflight(client, urls, name):
    response = client.options(
        urls[name],
        HTTP_ORIGIN="https://h5.example.com",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
@pytest.mark.parametrize("name", ["lookup", "area"])
def test_writes_are_405_not_a_csrf_403(urls, name, method):
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(urls[name])
    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize(("name", "max_age"), [("lookup", 300), ("area", 3600), ("grid", 3600)])
def test_conditional_get_and_cache_control(client, urls, name, max_age):
    first = client.get(urls[name])
    assert f"max-age={max_age}" in first["Cache-Control"]
    assert "public" in first["Cache-Control"]
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get(urls[name], HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert client.get(urls[name], HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_a_published_change_gives_a_new_etag(client, grid, urls):
    etag = client.get(urls["area"])["ETag"]
    grid.title = "第一网格（新名）"
    grid.save_revision().publish()
    response = client.get(urls["area"], HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "第一网格（新名）" in response.content.decode()


def test_a_worker_change_gives_a_new_lookup_etag(client, urls, workers):
    etag = client.get(urls["lookup"])["ETag"]
    primary, _backup = workers
    primary.work_phone = "010-1234 0000"
    primary.save()
    assert client.get(urls["lookup"], HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_grid_code_gives_that_grid_alone(client, grid, urls):
    data = client.get(urls["grid"]).json()
    assert data["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in data["features"]] == [grid.code]
    assert data["properties"] == {"code": grid.code, "name": grid.title, "level": "grid"}
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_unknown_code_is_404(client):
    response = client.get("/api/areas/NO-SUCH.geojson")
    assert response.status_code == 404 and "error" in response.json()


def test_links_use_the_public_address(client, grid, urls):
    with override_settings(PORTAL_BASE_URL=PUBLIC):
        feature = client.get(urls["grid"], HTTP_HOST="localhost").json()["features"][0]
        result = client.get(urls["lookup"], HTTP_HOST="localhost").json()["results"][0]
    assert feature["properties"]["url"] == PUBLIC + grid.url
    assert result["url"] == PUBLIC + grid.url
