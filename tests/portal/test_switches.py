"""The care-mode and language switches: plain links, kept in cookies, safe redirects."""

import pytest

pytestmark = pytest.mark.django_db


def test_care_mode_switch_sets_a_cookie_and_returns(client):
    """Turning care mode on returns to the page and marks every later page."""
    response = client.get("/care-mode/?on=1&next=/search/")
    assert response.status_code == 302
    assert response["Location"] == "/search/"
    assert response.cookies["care_mode"].value == "1"
    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans" class="care">' in html
    assert "退出关怀版" in html


def test_care_mode_switch_off(client):
    """Turning it off removes the cookie and the class."""
    client.get("/care-mode/?on=1")
    client.get("/care-mode/?on=0")
    html = client.get("/").content.decode()
    assert 'class="care"' not in html


def test_switch_refuses_an_outside_next(client):
    """A `next` on another host is replaced by the home page (no open redirect)."""
    response = client.get("/care-mode/?on=1&next=https://evil.example.com/")
    assert response["Location"] == "/"


def test_language_switch_shows_english(client):
    """Choosing English switches the interface strings and the lang attribute."""
    response = client.get("/lang/en/?next=/")
    assert response.cookies["portal_language"].value == "en"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert "Skip to main content" in html
    assert "Care mode" in html


def test_unknown_language_is_ignored(client):
    """An unknown language code changes nothing."""
    response = client.get("/lang/xx/?next=/")
    assert "portal_language" not in response.cookies
    assert '<html lang="zh-Hans"' in client.get("/").content.decode()
