from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "fieldwork"
    verbose_name = _("网格员工作")
    # load_demo runs these in order: the field records, then the meetings, assessment and
    # reviews built on them.
    demo_modules = ["demo", "demo_reviews"]
