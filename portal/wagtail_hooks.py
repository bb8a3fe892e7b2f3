"""Admin hooks of the portal: password and two-factor settings are allauth's pages."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_account_menu_item")
def password_menu_item(request):
    return {
        "url": reverse("account_change_password"),
        "label": _("修改密码"),
        "help_text": _("密码由统一登录管理"),
    }


@hooks.register("register_account_menu_item")
def two_factor_menu_item(request):
    return {
        "url": reverse("mfa_index"),
        "label": _("两步验证"),
        "help_text": _("设置或更换手机验证器（TOTP）和恢复码"),
    }
