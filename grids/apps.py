from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridsConfig(AppConfig):
    name = "grids"
    verbose_name = _("网格")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import search, signals  # noqa: F401  (signals connects the tree-version signals)

        search.register()
