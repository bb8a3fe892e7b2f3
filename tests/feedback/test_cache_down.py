"""With the shared cache (Redis) unreachable the portal still serves pages and takes every
resident's message; only the health check fails."""

import pytest
from django.test import override_settings

from feedback.models import Feedback
from portal.settings.base import redis_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings, free_port):
    """The production cache settings, pointed at a Redis that is not there; rate limits on."""
    settings.FEEDBACK_RATE_LIMITS_ENABLED = True
    down = redis_cache(f"redis://127.0.0.1:{free_port}/0")
    with override_settings(CACHES={"default": down, "ratelimit": down}):
        yield


def test_pages_and_the_form_are_served(client, form_data, redis_down):
    """Home page, form and a not-found page answer as usual: cached pieces are built afresh."""
    form_data()
    assert client.get("/").status_code == 200
    response = client.get("/feedback/")
    assert response.status_code == 200 and 'name="csrfmiddlewaretoken"' in response.text
    assert client.get("/no-such-page/").status_code == 404


def test_every_message_is_saved(client, form_data, redis_down):
    """Rate limits cannot count without the cache: submissions are let through, none lost."""
    for n in range(7):  # more than the hourly limit per contact
        response = client.post("/feedback/", form_data(subject=f"第{n}条"))
        assert response.status_code == 302
        assert client.get(response["Location"]).status_code == 200
    assert Feedback.objects.count() == 7


def test_the_health_check_reports_it(client, redis_down, search_index):
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")
