"""POST requests: a case filed through Open311 enters by the same door as the form.

The GeoReport parameters are turned into the feedback form's fields and checked by that form
(feedback.intake.forms.FeedbackForm), then saved by `feedback.intake.receive.receive`, so the
checks, the routing, the ticket number, the e-mails and texts, and the tracking code are those
of a case sent on the form. Only the source differs (`Source.OPEN311`).
"""

import math

from django.utils.translation import gettext as _

from grids.lookup import answer_kind, find_by_point, find_by_text
from grids.models import GridPage
from portal.parsing import parse_id, parse_text

from ..enums import Source
from ..intake.forms import UNKNOWN_GRID, FeedbackForm
from ..intake.receive import receive_form
from ..models import FeedbackCategory
from .mapping import PUBLICITY_ATTRIBUTE, has_attributes

SUBJECT_LENGTH = 80  # the form's own limit of a title
TRUE_VALUES = ("1", "true", "yes", "on")


class Refused(Exception):
    """The request cannot be taken: `status` (400 or 404) and the messages, for the client."""

    def __init__(self, status, *messages):
        super().__init__(*messages)
        self.status = status
        self.messages = [str(message) for message in messages]


def category_of(value):
    """The active category a service_code names; Refused (400/404) otherwise."""
    if value is None or not str(value).strip():
        raise Refused(400, _("缺少service_code（诉求类别）。"))
    pk = parse_id(value)
    category = FeedbackCategory.objects.filter(pk=pk, active=True).first() if pk else None
    if category is None:
        raise Refused(404, _("没有这个service_code（诉求类别）：%(code)s。") % {"code": value[:40]})
    return category


def _coordinate(value, name, low, high):
    text = parse_text(value, 40)
    try:
        number = float(text) if text else math.nan
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or not low <= number <= high:
        raise Refused(
            400,
            _("%(name)s必须是%(low)s到%(high)s之间的数字。")
            % {"name": name, "low": low, "high": high},
        )
    return number


def _exact_grid(matches):
    """The live grid the lookup answered exactly; None for candidates or no answer."""
    if answer_kind(matches) != "exact":
        return None
    return GridPage.objects.live().filter(pk=matches[0].pk).first()


def locate(params):
    """(grid or None, place) from lat/long (WGS84) or address_string, through the lookup."""
    lat, lng = params.get("lat", ""), params.get("long", "")
    address = parse_text(params.get("address_string", ""), 120)
    if address is None:
        raise Refused(400, _("address_string最多120个字，且不能含控制字符。"))
    if lat or lng:
        if not (lat and lng):
            raise Refused(400, _("lat（纬度）和long（经度）要同时提供。"))
        lat = _coordinate(lat, "lat", -90, 90)
        lng = _coordinate(lng, "long", -180, 180)
        matches = find_by_point(lat, lng)
        if not matches and not address:
            raise Refused(400, _("这个位置不在本站任何网格的范围内。"))
        # A point on the border of two grids names no one grid: the service centre decides.
        grid = _exact_grid(matches) if matches else _exact_grid(find_by_text(address))
        return grid, address or f"WGS84 {lat:.6f}, {lng:.6f}"
    if address:
        return _exact_grid(find_by_text(address)), address
    if params.get("address_id"):
        raise Refused(400, _("本站不使用address_id，请提供lat与long或address_string。"))
    raise Refused(400, _("请提供位置：lat与long（WGS84），或address_string（地址）。"))


def _subject(description, category):
    """The case's title: the description's first line, shortened; the category's name if none."""
    first = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if not first:
        return category.name
    return first if len(first) <= SUBJECT_LENGTH else first[: SUBJECT_LENGTH - 1] + "…"


def form_data(params, category, grid, place):
    """The feedback form's fields for a POST request's parameters."""
    description = params.get("description", "")
    first, last = params.get("first_name", "").strip(), params.get("last_name", "").strip()
    # 王 + 小明 → 王小明; john + smith → john smith
    name = f"{first} {last}".strip() if (first + last).isascii() else last + first
    data = {
        "category": str(category.pk),
        "grid": f"g{grid.pk}" if grid is not None else UNKNOWN_GRID,
        "grid_asked": "1",  # the location decided the grid; never ask back
        "place": place,
        "subject": _subject(description, category),
        "message": description,
        "contact_name": name,
        "contact_phone": params.get("phone", ""),
        "contact_email": params.get("email", ""),
        "publicity": params.get(f"attribute[{PUBLICITY_ATTRIBUTE}]", ""),
        "website": "",
    }
    if params.get("public_consent", "").strip().lower() in TRUE_VALUES:
        data["public_consent"] = "on"
    return data


def _form_errors(form):
    messages = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.append(f"{label}：{error}" if label else str(error))
    return messages


def file_case(params):
    """Check a POST request's parameters like the form does and save the case; Refused when
    anything is missing or wrong (400, or 404 for an unknown service_code)."""
    category = category_of(params.get("service_code"))
    if has_attributes(category) and not params.get(f"attribute[{PUBLICITY_ATTRIBUTE}]"):
        raise Refused(400, _("公示异议需要attribute[publicity]：公示的编号（见服务定义）。"))
    grid, place = locate(params)
    form = FeedbackForm(form_data(params, category, grid, place))
    if not form.is_valid():
        raise Refused(400, *_form_errors(form))
    return receive_form(form.cleaned_data, source=Source.OPEN311)
