"""Require TOTP for everyone who can reach the admin, where PORTAL_REQUIRE_STAFF_MFA is on.

allauth offers MFA but has no setting that makes it mandatory, so this middleware sends a
staff user without a TOTP authenticator to allauth's set-up page before any admin page opens.
"""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .accounts import can_reach_admin

ADMIN_PREFIX = "/admin/"


def has_totp(user):
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireStaffMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.PORTAL_REQUIRE_STAFF_MFA
            and request.path.startswith(ADMIN_PREFIX)
            and request.user.is_authenticated
            and can_reach_admin(request.user)
            and not has_totp(request.user)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
