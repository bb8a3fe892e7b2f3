"""Sign-in goes through allauth: login, Wagtail's login redirected, password reset by e-mail."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from post_office.models import Email

from portal import roles

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def test_wagtail_login_redirects_to_allauth(client):
    """Wagtail's own login form would bypass MFA, so it sends people to allauth's."""
    response = client.get("/admin/login/?next=/admin/pages/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_admin_sends_anonymous_users_to_allauth(client):
    """Opening /admin/ signed out leads to allauth's login page."""
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_staff_login_reaches_the_admin(client, editor):
    """An editor signs in with username and password on allauth's form and reaches the admin."""
    response = client.post(
        "/accounts/login/?next=/admin/", {"login": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_resident_can_register_with_email(client):
    """A resident registers with an e-mail address (optional, to follow their feedback)."""
    response = client.post(
        "/accounts/signup/",
        {
            "email": "li.ming@example.org",
            "username": "liming",
            "password1": "a-long-pass-phrase-2026",
            "password2": "a-long-pass-phrase-2026",
        },
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(email="li.ming@example.org").exists()


def test_password_reset_email_goes_through_the_outbox(client, resident, send_outbox):
    """The reset e-mail is queued durably, then the worker's job delivers it with a link."""
    client.post("/accounts/password/reset/", {"email": resident.email})
    queued = Email.objects.get(to=resident.email)
    assert queued.status != 0  # queued, not yet sent (0 is "sent")
    assert mail.outbox == []
    send_outbox()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [resident.email]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_failed_logins_are_rate_limited(client, editor):
    """After repeated wrong passwords the form refuses even the right one for a while."""
    for _ in range(5):
        client.post("/accounts/login/", {"login": "editor", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "editor", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_demo_accounts_cannot_sign_in_where_demo_login_is_off(client, make_user, settings):
    """Demo accounts are refused under production settings (PORTAL_DEMO_LOGIN off)."""
    make_user("demo-editor", roles.EDITORS)
    settings.PORTAL_DEMO_LOGIN = False
    client.post("/accounts/login/", {"login": "demo-editor", "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    settings.PORTAL_DEMO_LOGIN = True
    client.post("/accounts/login/", {"login": "demo-editor", "password": PASSWORD})
    assert "_auth_user_id" in client.session


def test_staff_email_addresses_are_created_verified(make_user):
    """Anyone who can reach the admin gets a verified address; residents do not."""
    staff = make_user("centre", roles.SERVICE_CENTRE_STAFF)
    resident = make_user("resident2")
    assert EmailAddress.objects.get(user=staff).verified is True
    assert not EmailAddress.objects.filter(user=resident, verified=True).exists()


def test_wagtail_password_management_is_handed_to_allauth(client, editor, settings):
    """Wagtail's own password change is off; allauth's page is used instead."""
    assert settings.WAGTAIL_PASSWORD_MANAGEMENT_ENABLED is False
    assert settings.WAGTAIL_EMAIL_MANAGEMENT_ENABLED is False
    client.force_login(editor)
    assert client.get("/accounts/password/change/").status_code == 200


def test_admin_account_page_links_to_allauth(client, editor):
    """The admin's account page offers allauth's password and two-factor pages."""
    client.force_login(editor)
    html = client.get("/admin/account/").content.decode()
    assert 'href="/accounts/password/change/"' in html
    assert 'href="/accounts/2fa/"' in html
