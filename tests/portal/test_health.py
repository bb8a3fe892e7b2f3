"""The health check reports each dependency."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_health_reports_ok(client, search_index):
    """Database, cache and search index answer: 200 with each check ok."""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "search": "ok"},
    }


def test_health_reports_a_missing_search_index(client, settings, tmp_path):
    """No index yet (update_index never ran): 503, naming the search check."""
    settings.PORTAL_SEARCH_INDEX_DIR = str(tmp_path / "none")
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["search"] == "error: IndexUnavailable"


def test_health_reports_a_corrupt_search_index(client, search_index):
    """A damaged index segment: 503, naming the search check."""
    for segment in search_index.get_store().path.glob("*.seg"):
        segment.write_bytes(b"\x00" * 16)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["search"] == "error: IndexUnavailable"


def test_health_reports_a_failing_cache(client, monkeypatch, search_index):
    """A failing dependency gives 503 and names it."""

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
