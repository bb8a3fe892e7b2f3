"""The weekly agenda page in the admin: /admin/fieldwork/agenda/ (this week of the user's
community), ?community=<id>&week=YYYY-MM-DD for another; a button opens the week's meeting
record, where the decisions are written down with their owners and deadlines."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.parsing import parse_id, parse_text

from . import agenda as agenda_module
from .admin_access import communities_for
from .models import WeeklyMeeting
from .models.meetings import week_start


def _week_from(value):
    text = parse_text(value, max_length=10)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
def agenda_view(request):
    if not request.user.has_perm("fieldwork.view_weeklymeeting"):
        raise PermissionDenied
    communities = list(communities_for(request.user).order_by("path"))
    if not communities:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    pk = parse_id(source.get("community"))
    community = next((c for c in communities if c.pk == pk), communities[0])
    monday = week_start(_week_from(source.get("week")))
    if request.method == "POST":
        if not request.user.has_perm("fieldwork.add_weeklymeeting"):
            raise PermissionDenied
        meeting, _created = WeeklyMeeting.objects.get_or_create(
            community=community, week_start=monday
        )
        return redirect(reverse("fieldwork_meetings:edit", args=[meeting.pk]))
    agenda = agenda_module.build(community, monday, viewer=request.user)
    return render(
        request,
        "fieldwork/admin/agenda.html",
        {
            "page_title": _("民情分析会议程"),
            "agenda": agenda,
            "communities": communities,
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
        },
    )
