"""Content-Security-Policy: strict on the public site, looser in the admin."""

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# What a strict policy refuses: <script> with content, <style>, style="…" and on…="…" handlers.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>|<style\b|\sstyle=|\son[a-z]+=",
    re.IGNORECASE,
)


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def test_public_pages_allow_only_the_sites_own_scripts_and_styles(client, home_page):
    """The home page may run only the site's own script files and style sheets."""
    csp = policy(client.get(home_page.url))
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def test_sign_in_page_has_the_strict_policy(client):
    """The allauth sign-in page (not under /admin/) is as strict as the public pages."""
    csp = policy(client.get("/accounts/login/"))
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]


def test_admin_allows_inline_scripts_but_nothing_from_elsewhere(client, administrator):
    """The Wagtail admin may run its inline scripts, still only from the site itself."""
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]


def test_templates_have_no_inline_script_style_or_handler():
    """No page template carries what the public policy would refuse to run or apply.

    E-mails (templates/email/, templates/<app>/email/) are left out: a mail program applies no
    CSP, and inline styles are the only styles mail programs keep."""
    found = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        if "email" not in path.relative_to(TEMPLATES).parts[:-1]
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []
