"""The health check reports each dependency."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_health_reports_ok(client):
    """Database and cache answer: 200 with each check ok."""
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_health_reports_a_failing_cache(client, monkeypatch):
    """A failing dependency gives 503 and names it."""

    def broken(*args, **kwargs):
        raise ConnectionError("down")

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "error: ConnectionError"
