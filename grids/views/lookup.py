"""The lookup page ("which grid am I in?") and the public JSON endpoints."""

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import versions
from portal.links import absolute
from portal.models import SiteSettings
from portal.parsing import parse_text
from portal.public_api import conditional, read_only_api

from ..coords import SYSTEMS, WGS84, to_wgs84
from ..geometry import to_geojson, to_shape
from ..lookup import MAX_QUERY_LENGTH, answer_kind, find_by_point, find_by_text, grid_results

API_FIELDS = ("code", "name", "url", "area", "on_duty")


def _api_result(result):
    """The public fields of one grid, and what of the address matched it."""
    fields = {key: result[key] for key in API_FIELDS}
    fields["match"] = {
        "exact": result["exact"],
        "text": result["matched"],
        "parts": result["parts"],
    }
    return fields


class BadLookup(ValueError):
    """The parameters of a lookup cannot be used; the message says why."""


def _coordinate(value, name, low, high):
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise BadLookup(_("%(name)s必须是数字。") % {"name": name}) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise BadLookup(
            _("%(name)s必须在%(low)s到%(high)s之间。") % {"name": name, "low": low, "high": high}
        )
    return number


def _coordinate_system(value):
    """The coordinate system a point is given in (`coordsys=`): WGS84 (phones) by default."""
    if value is None or not value.strip():
        return WGS84
    system = (parse_text(value) or "").lower().replace("-", "")
    if system not in SYSTEMS:
        raise BadLookup(
            _("coordsys必须是%(known)s之一（高德、腾讯地图用gcj02，百度地图用bd09）。")
            % {"known": "、".join(sorted(SYSTEMS))}
        )
    return system


def parse_lookup(params):
    """("text", q) or ("point", (lat, lng)) from query parameters; BadLookup if unusable."""
    q = params.get("q")
    lat, lng = params.get("lat"), params.get("lng")
    if q is not None and (lat is not None or lng is not None):
        raise BadLookup(_("请只提供q（地址或网格）或lat与lng（位置）中的一种。"))
    if q is not None:
        q = q.strip()
        if not q:
            raise BadLookup(_("请输入地址、网格名称或网格编码。"))
        if len(q) > MAX_QUERY_LENGTH:
            raise BadLookup(_("输入太长了，请不超过%(n)s个字。") % {"n": MAX_QUERY_LENGTH})
        return "text", q
    if lat is not None or lng is not None:
        if lat is None or lng is None:
            raise BadLookup(_("位置查询需要同时提供lat（纬度）和lng（经度）。"))
        lat = _coordinate(lat, _("纬度lat"), -90, 90)
        lng = _coordinate(lng, _("经度lng"), -180, 180)
        lng, lat = to_wgs84(lng, lat, _coordinate_system(params.get("coordsys")))
        return "point", (lat, lng)
    raise BadLookup(_("请提供q（地址或网格），或lat与lng（位置）。"))


def _find(kind, value):
    if kind == "text":
        return find_by_text(value)
    return find_by_point(*value)


def no_match_message(kind, phone):
    if kind == "point":
        message = _("您的位置不在本站任何网格的范围内。")
    else:
        message = _("没有找到匹配的网格。请检查地址，或只输入街巷、小区名称再试。")
    if phone:
        message += _("也可以拨打社区服务中心电话%(phone)s咨询。") % {"phone": phone}
    return message


# How long a client or proxy may keep an answer before asking again (with its ETag).
LOOKUP_MAX_AGE = 300
GEOJSON_MAX_AGE = 3600


@read_only_api
@conditional(
    depends_on=[versions.GRIDS, versions.WORKERS, versions.PAGES],
    max_age=LOOKUP_MAX_AGE,
    daily=True,  # who is on duty changes with leave periods
)
def lookup_api(request):
    """GET /api/grids/lookup/?q=… or ?lat=…&lng=…: public fields of the matching grids."""
    try:
        kind, value = parse_lookup(request.GET)
    except BadLookup as error:
        return JsonResponse({"error": str(error)}, status=400)
    matches = _find(kind, value)
    results = [_api_result(result) for result in grid_results(matches, request)]
    payload = {"answer": answer_kind(matches) if results else "none", "results": results}
    if not results:
        payload["message"] = no_match_message(kind, SiteSettings.for_request(request).phone)
    return JsonResponse(payload, json_dumps_params={"ensure_ascii": False})


@require_GET
def lookup_page(request):
    """The lookup page: a form that works without JavaScript, and its results."""
    context = {"query": "", "results": None, "error": "", "message": "", "answer": ""}
    if any(name in request.GET for name in ("q", "lat", "lng")):
        try:
            kind, value = parse_lookup(request.GET)
        except BadLookup as error:
            context["error"] = str(error)
        else:
            if kind == "text":
                context["query"] = value
            context["kind"] = kind
            matches = _find(kind, value)
            context["results"] = grid_results(matches, request)
            context["answer"] = answer_kind(matches) if context["results"] else "none"
            if not context["results"]:
                context["message"] = no_match_message(kind, SiteSettings.for_request(request).phone)
    status = 400 if context["error"] else 200
    return render(request, "grids/lookup_page.html", context, status=status)


def _feature(grid, request):
    return {
        "type": "Feature",
        "geometry": to_geojson(to_shape(grid.boundary)),
        "properties": {
            "code": grid.code,
            "name": grid.title,
            "url": absolute(grid.get_url(request)),
            "level": grid.level.name if grid.level else "",
            "households": grid.households,
        },
    }


def _geojson_response(payload):
    response = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    return response


@read_only_api
@conditional(depends_on=[versions.GRIDS, versions.PAGES], max_age=GEOJSON_MAX_AGE)
def area_geojson(request, code):
    """GET /api/areas/<code>.geojson: an area's live grids, or one grid, as a GeoJSON
    FeatureCollection."""
    from ..context import area_grids
    from ..models import AreaPage, GridPage

    wanted = parse_text(code)
    area = AreaPage.objects.live().public().filter(code=wanted).first() if wanted else None
    if area is None:
        grid = (
            GridPage.objects.live().public().filter(code=wanted).select_related("level").first()
            if wanted
            else None
        )
        if grid is not None:
            return _geojson_response(
                {
                    "type": "FeatureCollection",
                    "name": grid.title,
                    "properties": {"code": grid.code, "name": grid.title, "level": "grid"},
                    "features": [_feature(grid, request)],
                }
            )
        return JsonResponse(
            {"error": _("没有编码为%(code)s的区域或网格。") % {"code": code}},
            status=404,
            json_dumps_params={"ensure_ascii": False},
        )
    return _geojson_response(
        {
            "type": "FeatureCollection",
            "name": area.title,
            "properties": {"code": area.code, "name": area.title, "level": area.level},
            "features": [_feature(grid, request) for grid in area_grids(area)],
        }
    )
