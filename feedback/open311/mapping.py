"""How the portal's data reads in GeoReport v2: categories as services, cases as requests.

- `service_code` is a feedback category's id; `service_request_id` is a case's ticket number.
- `status` is "open" while staff work on a case and "closed" once it is closed, rated or
  returned; `status_notes` is the public reply (or the return reason), masked.
- `agency_responsible` is the grid (or, when the grid is unknown, the community): never a
  worker's name or any other personal data.
- `description` and the resident's own place are given only when the resident agreed that the
  case may be shown (`Feedback.public_consent`), and masked (notices.masking); never for an
  objection, which is about other people. Names, phones, e-mails and photos are never given.
- `lat`/`long` are a point inside the case's grid (WGS84), not the resident's exact place.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from grids.geometry import to_shape
from notices.masking import mask

from ..enums import CaseState, WorkType
from ..models import Feedback

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CLOSED_STATES = (CaseState.CLOSED, CaseState.RATED, CaseState.RETURNED)
OPEN, CLOSED = "open", "closed"
STATUSES = (OPEN, CLOSED)
# The attribute an objection (公示异议) asks for: which publicity batch it is about.
PUBLICITY_ATTRIBUTE = "publicity"


def w3_datetime(moment):
    """A datetime in the W3C profile of ISO 8601 with its offset: 2026-11-30T09:15:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def has_attributes(category):
    """True when the category asks more than the common fields (an objection names a batch)."""
    return category.work_type == WorkType.OBJECTION


def service(category):
    """One entry of the service list."""
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.notice or category.get_work_type_display(),
        "metadata": has_attributes(category),
        "type": "realtime",
        "keywords": _("紧急") if category.emergency else "",
        "group": category.get_work_type_display(),
    }


def service_definition(category, publicity_batches):
    """The service definition: its attributes (the publicity an objection is about)."""
    attributes = []
    if has_attributes(category):
        attributes.append(
            {
                "variable": True,
                "code": PUBLICITY_ATTRIBUTE,
                "datatype": "singlevaluelist",
                "required": True,
                "datatype_description": _("公示期内的公示，选一份"),
                "order": 1,
                "description": _("对哪一份公示提出异议？"),
                "values": [{"key": str(page.pk), "name": page.title} for page in publicity_batches],
            }
        )
    return {"service_code": str(category.pk), "attributes": attributes}


def status_of(case):
    return CLOSED if case.state in CLOSED_STATES else OPEN


def public_cases():
    """The cases the interface reads, with what it shows of them in as few queries as it can."""
    return Feedback.objects.select_related("category", "grid", "community").only(
        "ticket_number",
        "state",
        "public_reply",
        "return_reason",
        "subject",
        "message",
        "place",
        "public_consent",
        "created_at",
        "updated_at",
        "closed_at",
        "deadline",
        "category__name",
        "category__work_type",
        "grid__title",
        "grid__boundary",
        "community__title",
    )


class Points:
    """A point inside each grid (WGS84 lon, lat), worked out once per grid per answer."""

    def __init__(self):
        self._points = {}

    def of(self, grid):
        if grid is None:
            return None
        if grid.pk not in self._points:
            try:
                point = to_shape(grid.boundary).representative_point()
                self._points[grid.pk] = (round(point.y, 6), round(point.x, 6))
            except Exception:  # a grid without a usable boundary has no point to give
                self._points[grid.pk] = None
        return self._points[grid.pk]


def _agency(case):
    parts = [area.title for area in (case.grid, case.community) if area is not None]
    return "，".join(parts) or None


def _notes(case):
    if case.state == CaseState.RETURNED and case.return_reason:
        return mask(case.return_reason)
    return mask(case.public_reply) if case.public_reply else None


def shows_content(case):
    """True when a case's own text may be given: the resident agreed, and it is not an
    objection (公示异议), whose text is about other people's applications."""
    return case.public_consent and case.category.work_type != WorkType.OBJECTION


def service_request(case, points):
    """One case as a service request: what anyone may read of it."""
    shown = shows_content(case)
    description = None
    if shown:
        description = mask(f"{case.subject}\n{case.message}".strip())
    place = [mask(case.place)] if shown and case.place else []
    closed = status_of(case) == CLOSED
    updated = case.closed_at if closed and case.closed_at else case.updated_at
    data = {
        "service_request_id": case.ticket_number,
        "status": status_of(case),
        "status_notes": _notes(case),
        "service_name": case.category.name,
        "service_code": str(case.category_id),
        "description": description,
        "agency_responsible": _agency(case),
        "service_notice": None,
        "requested_datetime": w3_datetime(case.created_at),
        "updated_datetime": w3_datetime(updated),
        "expected_datetime": w3_datetime(case.deadline),
        "address": "，".join(place + ([_agency(case)] if _agency(case) else [])) or None,
    }
    point = points.of(case.grid)
    if point is not None:
        data["lat"], data["long"] = point
    return data
