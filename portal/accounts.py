"""Accounts: the authentication backend and the rule that staff e-mail addresses are verified."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.auth_backends import AuthenticationBackend
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

DEMO_USERNAME_PREFIX = "demo-"


def is_demo_account(user):
    """Demo accounts are made by `load_demo` and recognised by their username."""
    return (user.get_username() or "").startswith(DEMO_USERNAME_PREFIX)


def can_reach_admin(user):
    """Whether the user can open the Wagtail admin (and so must use MFA where required)."""
    return user.is_active and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))


class PortalAuthenticationBackend(AuthenticationBackend):
    """allauth's backend, refusing demo accounts wherever demo logins are off (production)."""

    def user_can_authenticate(self, user):
        if is_demo_account(user) and not settings.PORTAL_DEMO_LOGIN:
            return False
        return super().user_can_authenticate(user)


class PortalAccountAdapter(DefaultAccountAdapter):
    """allauth's adapter; its login flow also turns away demo accounts where they are off.

    allauth lets a user whose password matched through even when the backend says no (it
    shows an "inactive" page instead), so the refusal has to be repeated here.
    """

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None and is_demo_account(user) and not settings.PORTAL_DEMO_LOGIN:
            self.authentication_failed(request, **credentials)
            return None
        return user


def ensure_staff_email_verified(user):
    """Staff addresses are created verified: staff cannot be asked to confirm by e-mail link."""
    if not user.email or not can_reach_admin(user):
        return
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user,
            email=user.email,
            verified=True,
            primary=not EmailAddress.objects.filter(user=user, primary=True).exists(),
        )
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


@receiver(post_save, sender=get_user_model())
def _user_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        ensure_staff_email_verified(instance)


@receiver(m2m_changed, sender=get_user_model().groups.through)
def _user_groups_changed(sender, instance, action, reverse, **kwargs):
    if action == "post_add" and not reverse:
        # Permissions are cached on the instance; drop the cache before re-checking.
        for attr in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            instance.__dict__.pop(attr, None)
        ensure_staff_email_verified(instance)
