"""Staff must set up TOTP before any admin page opens, where the setting asks for it."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

pytestmark = pytest.mark.django_db


@pytest.fixture
def mfa_required(settings):
    settings.PORTAL_REQUIRE_STAFF_MFA = True


def test_staff_without_totp_is_sent_to_mfa_set_up(client, editor, mfa_required):
    """An editor without TOTP is redirected from /admin/ to allauth's TOTP activation."""
    client.post("/accounts/login/", {"login": "editor", "password": "correct-horse-battery"})
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    # allauth asks for the password again before any MFA change, then shows the QR code.
    reauth = client.get(response["Location"])
    assert reauth["Location"].startswith("/accounts/reauthenticate/")
    done = client.post(reauth["Location"], {"password": "correct-horse-battery"})
    assert done["Location"] == "/accounts/2fa/totp/activate/?next=%2Fadmin%2F"
    page = client.get(done["Location"])
    assert page.status_code == 200
    assert "svg" in page.content.decode()  # the QR code to scan


def test_every_admin_page_is_guarded(client, editor, mfa_required):
    """Deeper admin URLs are guarded too, not just the dashboard."""
    client.force_login(editor)
    assert client.get("/admin/pages/").status_code == 302


def test_staff_with_totp_reaches_the_admin(client, editor, mfa_required):
    """Once TOTP is set up, the admin opens."""
    TOTP.activate(editor, generate_totp_secret())
    assert Authenticator.objects.filter(user=editor).exists()
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_login_asks_for_the_code_when_totp_is_set_up(client, editor, mfa_required):
    """Password alone does not sign a TOTP user in: allauth asks for the code."""
    TOTP.activate(editor, generate_totp_secret())
    response = client.post(
        "/accounts/login/", {"login": "editor", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/authenticate/")
    assert "_auth_user_id" not in client.session


def test_residents_are_not_asked_for_totp(client, resident, mfa_required):
    """A resident without admin access is unaffected by the staff rule."""
    client.force_login(resident)
    assert client.get("/").status_code == 200
    assert client.get("/admin/").status_code == 302  # to the login, not to MFA set-up
    assert "2fa" not in client.get("/admin/")["Location"]


def test_rule_is_off_in_the_demo(client, editor, settings):
    """With the setting off (the demo), staff reach the admin without TOTP."""
    settings.PORTAL_REQUIRE_STAFF_MFA = False
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200
