"""Admin for portal's own data: the working calendar."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import CalendarDay


class CalendarDayViewSet(ModelViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = _("工作日历")
    add_to_settings_menu = True
    list_display = ["date", "kind", "name"]
    list_filter = ["kind"]
    search_fields = ["name"]
    form_fields = ["date", "kind", "name"]
    ordering = ["-date"]


@hooks.register("register_admin_viewset")
def register_calendar_viewset():
    return CalendarDayViewSet("working_calendar")
