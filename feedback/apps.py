from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("诉求反馈")

    #: The views that serve FeedbackFormPage's routes (form_page, confirmation_page), given to
    #: the page here so that the models, below the rooms, never import a room.
    form_page_views = None

    def ready(self):
        from . import signals
        from .intake import views

        self.form_page_views = views
        signals.connect()
