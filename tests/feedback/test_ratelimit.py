"""The client address used by the rate limits."""

from django.test import RequestFactory

from feedback.ratelimit import client_ip, contact_keys


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
