"""The site's public address (PORTAL_BASE_URL): robots.txt, the sitemap and the Site record."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from wagtail.models import Site

from portal.settings.base import public_base_url

PUBLIC = "https://grid.example.gov.cn"


@pytest.mark.parametrize(
    ("value", "bind", "expected"),
    [
        ("https://grid.example.gov.cn/", "", "https://grid.example.gov.cn"),
        ("http://10.0.0.5:8080", "", "http://10.0.0.5:8080"),
        ("", "127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("", "0.0.0.0:9000", "http://127.0.0.1:9000"),
        ("", "192.168.1.20:8001", "http://192.168.1.20:8001"),
        ("", "unix:/run/portal.sock", "http://127.0.0.1:8000"),
    ],
)
def test_public_base_url_from_the_setting_or_bind(value, bind, expected):
    assert public_base_url(value, bind) == expected


@pytest.mark.parametrize(
    "value",
    ["grid.example.gov.cn", "ftp://grid.example.gov.cn", "https://x.cn/portal", "https://x.cn:abc"],
)
def test_public_base_url_refuses_what_is_not_an_address(value):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_BASE_URL must be"):
        public_base_url(value)


def test_admin_base_url_follows_the_public_address(settings):
    assert settings.WAGTAILADMIN_BASE_URL == settings.PORTAL_BASE_URL


@pytest.mark.django_db
def test_robots_names_the_sitemap_on_the_public_address(client):
    with override_settings(PORTAL_BASE_URL=PUBLIC):
        response = client.get("/robots.txt", HTTP_HOST="localhost")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {PUBLIC}/sitemap.xml" in lines
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_setup_portal_puts_the_address_in_the_site_record(client, home_page):
    """The Site record takes the host and port, so the sitemap lists pages on the public
    address whatever Host the request carried."""
    with override_settings(PORTAL_BASE_URL=PUBLIC):
        call_command("setup_portal", verbosity=0)
        site = Site.objects.get(is_default_site=True)
        assert (site.hostname, site.port, site.root_url) == ("grid.example.gov.cn", 443, PUBLIC)
        sitemap = client.get("/sitemap.xml", HTTP_HOST="localhost").content.decode()
    assert f"<loc>{PUBLIC}/</loc>" in sitemap
    assert "localhost" not in sitemap
    with override_settings(PORTAL_BASE_URL="http://127.0.0.1:8000"):
        call_command("setup_portal", verbosity=0)
    site.refresh_from_db()
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
