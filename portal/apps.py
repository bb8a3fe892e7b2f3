from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户")

    def ready(self):
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created
        from django.urls import register_converter

        from . import (
            accounts,  # noqa: F401  (connects the staff e-mail signals)
            calendar,
            file_modes,
            files,
            page_cache,
            request_log,
            slugs,
        )
        from .parsing import IdConverter

        # `<id:…>` in URL patterns: a database id, out-of-range numbers never reach a query.
        register_converter(IdConverter, "id")

        connection_created.connect(file_modes.restrict_sqlite_files)

        page_cache.connect_signals()
        calendar.connect_signals()
        files.connect_signals()
        request_finished.connect(request_log.forget, dispatch_uid="portal-request-log")
        slugs.connect_signals()
        post_migrate.connect(create_cache_tables, sender=self)


def create_cache_tables(using, verbosity=1, **kwargs):
    """After every `migrate`, create the database cache's table (the rate limits' shared store
    without Redis) if it is missing: `make migrate`, a deploy and the test database all get it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))
