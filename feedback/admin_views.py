"""A minimal read-only view of a case in the admin: the case, its photos, timeline and deliveries.

The case-handling inbox (issue 6) builds the full list and actions on top of this.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .delivery import delivery_state
from .models import Feedback
from .permissions import can_handle


def case_detail(request, pk):
    """One case with everything staff handling it need, including the state of each e-mail."""
    case = get_object_or_404(
        Feedback.objects.select_related("category", "grid", "community", "publicity"), pk=pk
    )
    if not can_handle(request.user, case):
        raise Http404
    deliveries = [
        {"delivery": delivery, **delivery_state(delivery)}
        for delivery in case.deliveries.select_related("email")
    ]
    return TemplateResponse(
        request,
        "feedback/admin/case_detail.html",
        {
            "case": case,
            "photos": case.photos.all(),
            "events": case.events.select_related("actor"),
            "deliveries": deliveries,
            "page_title": _("诉求 %(ticket)s") % {"ticket": case.ticket_number},
            "header_title": case.ticket_number,
        },
    )
