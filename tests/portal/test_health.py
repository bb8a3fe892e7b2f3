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
        "checks": {
            "database": "ok",
            "cache": "ok",
            "search": "ok",
            "static": "ok",
            "media": "ok",
            "page": "ok",
        },
    }


def test_health_fails_without_the_static_manifest(client, settings, search_index, tmp_path):
    """Production's manifest storage with collectstatic not run (or run without it): every page
    would answer 500, so the health check answers 503 and names the static files and the page."""
    settings.STATIC_ROOT = str(tmp_path / "static")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/healthz/")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["static"].startswith("error: ValueError")
    assert checks["page"].startswith("error: ValueError")
    assert checks["database"] == "ok"


def test_health_fails_when_media_cannot_be_stored(client, settings, search_index, tmp_path):
    """The public media directory cannot be written (a full or read-only volume): 503."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["media"].startswith("error: ")


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
