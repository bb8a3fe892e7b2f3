from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from django.urls import register_converter

        from . import (
            accounts,  # noqa: F401  (connects the staff e-mail signals)
            calendar,
            page_cache,
        )
        from .parsing import IdConverter

        # `<id:…>` in URL patterns: a database id, out-of-range numbers never reach a query.
        register_converter(IdConverter, "id")

        page_cache.connect_signals()
        calendar.connect_signals()
