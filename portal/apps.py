from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import (
            accounts,  # noqa: F401  (connects the staff e-mail signals)
            calendar,
            file_modes,
            page_cache,
        )

        connection_created.connect(file_modes.restrict_sqlite_files)

        page_cache.connect_signals()
        calendar.connect_signals()
