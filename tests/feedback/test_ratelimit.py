"""The rate limits: the client address, what is counted first, and the stores they count in."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test import RequestFactory, override_settings

from feedback.intake.ratelimit import check_and_count, contact_keys
from portal.apps import create_cache_tables
from portal.ratelimit import client_ip


def test_remote_addr_by_default(settings):
    """Without trusted proxies, X-Forwarded-For is ignored (it could be forged)."""
    settings.FEEDBACK_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_behind_one_proxy(settings):
    """Behind one proxy, the last X-Forwarded-For entry is the client; earlier ones are not."""
    settings.FEEDBACK_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "203.0.113.7"


def test_phone_and_email_are_normalised():
    """Spaces and dashes in phones and case in e-mails do not make a new identity."""
    assert contact_keys("138-0000 1234", "A@Example.COM") == contact_keys(
        "13800001234", "a@example.com"
    )


@pytest.fixture
def limits(settings):
    settings.FEEDBACK_RATE_LIMITS_ENABLED = True
    return settings


def test_a_service_centre_helping_thirty_residents_is_not_locked_out(limits):
    """With the default limits, thirty residents with their own phones get through from one
    address in an hour."""
    from django.conf import settings as defaults

    assert defaults.FEEDBACK_RATE_LIMIT_PER_IP >= 30
    results = [check_and_count("198.51.100.1", f"1380000{n:04d}") for n in range(30)]
    assert results == [None] * 30


def test_the_contact_is_counted_before_the_address(limits):
    """A resident refused for their contact does not use up the address's ceiling."""
    limits.FEEDBACK_RATE_LIMIT_PER_CONTACT = 2
    limits.FEEDBACK_RATE_LIMIT_PER_IP = 3
    ip = "198.51.100.2"
    assert [check_and_count(ip, "13800000001") for _n in range(3)] == [None, None, "contact"]
    assert check_and_count(ip, "13800000002") is None
    assert check_and_count(ip, "13800000003") == "ip"


def test_without_a_contact_the_address_is_the_contact(limits):
    """Submissions with neither phone nor e-mail are held to the per-contact limit by address."""
    limits.FEEDBACK_RATE_LIMIT_PER_CONTACT = 2
    limits.FEEDBACK_RATE_LIMIT_PER_IP = 100
    assert [check_and_count("198.51.100.3") for _n in range(3)] == [None, None, "ip"]
    assert check_and_count("198.51.100.4") is None


@pytest.mark.django_db
def test_a_refusal_keeps_the_form_and_gives_the_centres_phone(client, form_data, limits):
    """The 429 page shows what the resident typed and the service centre's phone number."""
    from wagtail.models import Site

    from portal.models import SiteSettings

    site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    site_settings.phone = "010-62345678"
    site_settings.save()
    limits.FEEDBACK_RATE_LIMIT_PER_CONTACT = 1
    assert client.post("/feedback/", form_data()).status_code == 302
    response = client.post("/feedback/", form_data(subject="垃圾还没清运"))
    html = response.content.decode()
    assert response.status_code == 429
    assert "010-62345678" in html and "您填写的内容仍在下面" in html
    assert 'value="垃圾还没清运"' in html and "气味很大" in html


def test_allauth_keys_go_to_the_shared_store():
    """The routed default cache hands allauth's throttle keys to the rate-limit alias and keeps
    everything else in the per-process cache."""
    routed = {
        "default": {
            "BACKEND": "portal.cache.RoutedCache",
            "OPTIONS": {"DEFAULT": "local", "ROUTES": {"allauth:rl:": "ratelimit"}},
        },
        "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "l"},
        "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "r"},
    }
    with override_settings(CACHES=routed):
        cache.set("allauth:rl:account:login:5/5m:key", [1.0])
        cache.set("portal:header", "html")
        assert caches["ratelimit"].get("allauth:rl:account:login:5/5m:key") == [1.0]
        assert caches["local"].get("allauth:rl:account:login:5/5m:key") is None
        assert caches["local"].get("portal:header") == "html"
        assert cache.add("allauth:rl:x:lock", True) and not cache.add("allauth:rl:x:lock", True)
        cache.clear()
        assert caches["ratelimit"].get("allauth:rl:account:login:5/5m:key") is None


@pytest.fixture
def database_store(db):
    """The rate-limit alias as the embedded default has it: a table in the database."""
    table = "portal_rate_limits_test"
    stores = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": {"BACKEND": "portal.cache.SharedDatabaseCache", "LOCATION": table},
    }
    with override_settings(CACHES=stores):
        create_cache_tables(using="default", verbosity=0)
        assert table in connection.introspection.table_names()
        yield caches["ratelimit"]


def test_database_store_counts_and_keeps_the_expiry(database_store):
    """incr on the database store adds up and keeps the entry's own expiry (not the default)."""
    assert database_store.add("n", 1, 3600)
    assert [database_store.incr("n") for _i in range(3)] == [2, 3, 4]
    assert database_store.get("n") == 4
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM portal_rate_limits_test")
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):
        expires = datetime.fromisoformat(expires)
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert expires - datetime.now(UTC) > timedelta(minutes=50)
    with pytest.raises(ValueError):
        database_store.incr("missing")


def test_feedback_limits_count_in_the_database_store(database_store, limits):
    """The form's limits count in the database store when it is the rate-limit alias."""
    limits.FEEDBACK_RATE_LIMIT_PER_CONTACT = 2
    assert [check_and_count("198.51.100.5", "13800000009") for _n in range(3)] == [
        None,
        None,
        "contact",
    ]
