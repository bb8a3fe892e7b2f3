from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalSearchConfig(AppConfig):
    """The Chinese-aware search backend; its label keeps clear of Wagtail's `wagtailsearch`."""

    name = "portal.search"
    label = "portal_search"
    verbose_name = _("站内搜索")

    def ready(self):
        from . import analysis, synonyms

        analysis.connect_word_source_signals()
        synonyms.connect_signals()
