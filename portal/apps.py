from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from . import (
            accounts,  # noqa: F401  (connects the staff e-mail signals)
            calendar,
            files,
            page_cache,
        )

        page_cache.connect_signals()
        calendar.connect_signals()
        files.connect_signals()
