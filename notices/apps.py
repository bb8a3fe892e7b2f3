from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "notices"
    verbose_name = _("通知公告")

    def ready(self):
        from . import signals

        signals.connect()
